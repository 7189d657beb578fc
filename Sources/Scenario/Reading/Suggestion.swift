/// "Did you mean …?" for misspelt keys and names.
enum Suggestion {
    /// The candidate closest to `word`, if it is close enough to be a
    /// likely typo: within a third of the word's length, at least 2 edits,
    /// or the only candidate that starts with the word (`fire` → `fire_co`).
    /// Case and the choice of `-` or `_` do not count as differences, so
    /// `warm-up` suggests `warm_up`.
    static func closest(to word: String, among candidates: [String]) -> String? {
        guard word.count <= 64 else { return nil }
        let normalizedWord = normalize(word)
        let extensions = candidates.filter { normalize($0).hasPrefix(normalizedWord) && $0.count > word.count }
        if normalizedWord.count >= 3, extensions.count == 1 { return extensions[0] }
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(normalizedWord, normalize(candidate))
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        guard let best, best.distance <= max(2, word.count / 3), best.distance < word.count else { return nil }
        return best.candidate
    }

    /// ` (did you mean 'houses'?)`, or nothing.
    static func didYouMean(_ word: String, among candidates: [String]) -> String {
        closest(to: word, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }

    /// Levenshtein distance over characters.
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let left = Array(lhs)
        let right = Array(rhs)
        guard !left.isEmpty else { return right.count }
        guard !right.isEmpty else { return left.count }
        var previous = Array(0...right.count)
        var current = [Int](repeating: 0, count: right.count + 1)
        for i in 1...left.count {
            current[0] = i
            for j in 1...right.count {
                let substitution = previous[j - 1] + (left[i - 1] == right[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[right.count]
    }

    private static func normalize(_ word: String) -> String {
        String(word.lowercased().map { $0 == "-" || $0 == " " ? "_" : $0 })
    }
}
