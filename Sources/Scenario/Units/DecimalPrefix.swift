/// The unsigned decimal number that a unit-bearing value starts with.
///
/// Durations, rates and sizes share one number syntax so that `1_000`,
/// `0.5` and `12.25` mean the same thing everywhere: digits with optional
/// `_` separators and an optional fraction. Exponents (`1e3`) and signs are
/// not part of it; callers explain a leading `-` themselves.
struct DecimalPrefix: Equatable {
    let value: Double
    /// What follows the number, unconsumed.
    let rest: Substring

    /// Reads the number at the start of `text`, or returns nil when it does
    /// not start with a digit or a `.` followed by a digit.
    static func read(_ text: Substring) -> DecimalPrefix? {
        var digits = ""
        var index = text.startIndex
        var sawDigit = false
        var sawPoint = false
        while index < text.endIndex {
            let character = text[index]
            if let ascii = character.asciiValue, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(ascii) {
                digits.append(character)
                sawDigit = true
            } else if character == "_", sawDigit {
                // A digit-group separator, as in 10_000.
            } else if character == ".", !sawPoint {
                sawPoint = true
                digits.append(character)
            } else {
                break
            }
            index = text.index(after: index)
        }
        guard sawDigit, digits.count <= 40, let value = Double(digits), value.isFinite else { return nil }
        return DecimalPrefix(value: value, rest: text[index...])
    }
}

extension StringProtocol {
    /// The text with leading white space removed.
    var droppingLeadingBlanks: SubSequence {
        drop { $0.isWhitespace }
    }

    /// The text without white space at either end.
    var trimmingBlanks: Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map(index(after:)) ?? start
        return Substring(self[start..<Swift.max(start, end)])
    }
}
