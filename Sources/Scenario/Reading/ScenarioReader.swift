import Yams

/// Walks a composed YAML tree on behalf of the decoders and collects every
/// mistake it finds, with its line and column.
///
/// Decoders ask it for typed values (``integer(_:_:in:)``, ``duration(_:_:in:)``, …)
/// and get nil where the file is wrong; the reader has already recorded why.
/// That lets one pass report all mistakes instead of stopping at the first.
///
/// Two limits keep hostile input cheap: after ``maximumDiagnostics`` it stops
/// recording, and it visits at most ``nodeBudget`` nodes, because YAML
/// aliases let a small file describe an exponentially large tree.
final class ScenarioReader {
    static let maximumDiagnostics = 100
    static let nodeBudget = 1_000_000

    let file: String
    private(set) var diagnostics: [ScenarioDiagnostic] = []
    private var remainingNodes = ScenarioReader.nodeBudget
    /// Set once reading should stop: too many mistakes or too many nodes.
    /// Decoders check it before each element of a list.
    private(set) var isExhausted = false

    init(file: String) {
        self.file = file
    }

    func report(_ message: String, at node: Node) {
        report(message, at: node.location)
    }

    func report(_ message: String, at location: SourceLocation) {
        guard !isExhausted else { return }
        let message = Self.oneLine(message)
        if diagnostics.count == Self.maximumDiagnostics - 1 {
            diagnostics.append(ScenarioDiagnostic(file: file, location: location, message: message))
            stop("too many mistakes; stopped after \(Self.maximumDiagnostics)", at: location)
            return
        }
        diagnostics.append(ScenarioDiagnostic(file: file, location: location, message: message))
    }

    /// The message with control characters (line breaks from quoted input
    /// among them) shown as spaces, so that each diagnostic stays one line.
    static func oneLine(_ message: String) -> String {
        guard message.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.isWhitespace && $0 != " " }) else {
            return message
        }
        var view = String.UnicodeScalarView()
        for scalar in message.unicodeScalars {
            let isBreak = scalar.properties.generalCategory == .control || (scalar.properties.isWhitespace && scalar != " ")
            view.append(isBreak ? " " : scalar)
        }
        return String(view)
    }

    /// Counts one visited node; false once the budget is spent.
    func visit(_ node: Node) -> Bool {
        guard !isExhausted else { return false }
        remainingNodes -= 1
        guard remainingNodes >= 0 else {
            stop("this file expands to more than \(Self.nodeBudget.grouped) YAML values (an alias counts each time it is used); scenario files are far smaller, so check the anchors and aliases", at: node.location)
            return false
        }
        return true
    }

    private func stop(_ message: String, at location: SourceLocation) {
        stopNote = ScenarioDiagnostic(file: file, location: location, message: message)
        isExhausted = true
    }

    /// Why reading stopped early, if it did.
    private var stopNote: ScenarioDiagnostic?

    /// The mistakes in file order, so the list reads top to bottom, then
    /// the note saying reading stopped early, if it did.
    var diagnosticsInFileOrder: [ScenarioDiagnostic] {
        let sorted = diagnostics.enumerated().sorted { lhs, rhs in
            (lhs.element.location.line, lhs.element.location.column, lhs.offset)
                < (rhs.element.location.line, rhs.element.location.column, rhs.offset)
        }
        return sorted.map(\.element) + (stopNote.map { [$0] } ?? [])
    }

    var hasFindings: Bool { !diagnostics.isEmpty || stopNote != nil }

    /// The elements of a list, or nil (reported) when `node` is not a list.
    /// A missing value (`key:` with nothing after it) is an empty list.
    func elements(_ node: Node, _ path: String, expected: String) -> [Node]? {
        guard visit(node) else { return nil }
        if node.isNull { return [] }
        guard case .sequence(let sequence) = node else {
            report("\(path) must be \(expected); got \(node.phrase)", at: node)
            return nil
        }
        return Array(sequence)
    }

    /// The keys and values of a mapping, checked against `allowed`. Unknown
    /// keys are reported with the nearest allowed key. A missing value is an
    /// empty mapping, so `stack:` alone means "all defaults".
    func fields(_ node: Node, _ path: String, allowed: [String]) -> Fields? {
        guard visit(node) else { return nil }
        if node.isNull { return Fields(path: path, node: node, values: [:]) }
        guard case .mapping(let mapping) = node else {
            report("\(path.isEmpty ? "a scenario" : path) must be a mapping with keys \(allowed.joined(separator: ", ")); got \(node.phrase)", at: node)
            return nil
        }
        var values: [String: Node] = [:]
        for (key, value) in mapping {
            guard visit(key) else { break }
            guard case .scalar(let scalar) = key, !key.isNull else {
                report("keys must be plain names such as \(allowed.prefix(3).joined(separator: ", ")); got \(key.phrase)", at: key)
                continue
            }
            guard allowed.contains(scalar.string) else {
                let place = path.isEmpty ? "at the top level" : "in \(path)"
                report("unknown key '\(scalar.string.shown)' \(place)\(Suggestion.didYouMean(scalar.string, among: allowed)); allowed keys: \(allowed.joined(separator: ", "))", at: key)
                continue
            }
            values[scalar.string] = value
        }
        return Fields(path: path, node: node, values: values)
    }

    /// A mapping's values by key, with the path used in messages.
    struct Fields {
        let path: String
        /// The mapping itself, where "missing key" mistakes are reported.
        let node: Node
        let values: [String: Node]

        subscript(key: String) -> Node? { values[key] }

        /// `estate.houses` for key `houses` of `estate`.
        func path(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    }
}

extension Node {
    var location: SourceLocation {
        mark.map { SourceLocation(line: $0.line, column: $0.column) } ?? SourceLocation(line: 1, column: 1)
    }

    /// `key:` with nothing after it, `~` or `null`.
    var isNull: Bool {
        guard case .scalar(let scalar) = self, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// What the node is, for "got …" in messages.
    var phrase: String {
        switch self {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case .scalar(let scalar): isNull ? "nothing" : "'\(scalar.string.shown)'"
        }
    }
}

extension String {
    /// The string cut to a length that fits in a one-line message.
    var shown: String {
        let flat = String(map { $0.isNewline ? " " : $0 })
        return flat.count <= 40 ? flat : flat.prefix(37) + "..."
    }
}

extension Int {
    /// `1,000,000`: big limits are easier to read with separators.
    var grouped: String {
        let digits = String(magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return self < 0 ? "-" + result : result
    }
}
