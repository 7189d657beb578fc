/// Cheap checks on the raw text before libyaml and Yams see it, for the
/// few inputs that would make composing slow or crash instead of fail.
///
/// - Yams composes recursively, so thousands of nested `[` or `- ` would
///   overflow the stack; scenario files nest a handful of levels.
/// - Yams hashes each mapping key to find duplicates. A key that is a
///   collection built from aliases (`? *a`, `[*a, *a]: x`, `*a: x`) hashes
///   the whole expanded tree, which grows exponentially with nested
///   anchors. Scenario keys are plain words, so the combination of anchors
///   and such keys is refused outright.
///
/// The scan is deliberately simple (it does not fully tokenize YAML). It
/// may refuse an unusual but harmless file, with a message saying why; it
/// never lets a dangerous one through to the composer.
struct YAMLPreflight {
    static let maximumBytes = 1 << 20
    static let maximumIndentColumn = 120
    static let maximumFlowDepth = 32

    /// A refusal with the place it applies to.
    struct Refusal: Equatable {
        var location: SourceLocation
        var message: String
    }

    static func check(_ text: String) -> Refusal? {
        let byteCount = text.utf8.count
        guard byteCount <= maximumBytes else {
            return Refusal(location: SourceLocation(line: 1, column: 1), message: "the file is \(byteCount.grouped) bytes; scenario files are at most \(maximumBytes.grouped) bytes (1 MiB)")
        }
        var scanner = YAMLPreflight()
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if let refusal = scanner.scan(Array(line.unicodeScalars), lineNumber: lineNumber) { return refusal }
        }
        if let complexKey = scanner.complexKey, scanner.hasAnchors {
            return Refusal(location: complexKey, message: "a mapping key here is a list, a mapping or an alias, and the file uses anchors (&name); scenario keys are plain words, so write the key out")
        }
        return nil
    }

    private var flowDepth = 0
    private var quote: Unicode.Scalar?
    private var hasAnchors = false
    private var complexKey: SourceLocation?

    private mutating func scan(_ line: [Unicode.Scalar], lineNumber: Int) -> Refusal? {
        var index = 0
        if quote == nil {
            index = Self.contentStart(of: line, explicitKey: &complexKey, lineNumber: lineNumber)
            if index > Self.maximumIndentColumn {
                return Refusal(location: SourceLocation(line: lineNumber, column: index + 1), message: "this line is nested \(index) columns deep; scenario files never need more than \(Self.maximumIndentColumn), so check the indentation")
            }
        }
        while index < line.count {
            let scalar = line[index]
            let atTokenStart = index == 0 || " \t[{,:".unicodeScalars.contains(line[index - 1])
            if let open = quote {
                if scalar == "\\", open == "\"" { index += 1 } else if scalar == open { quote = nil }
                index += 1
                continue
            }
            switch scalar {
            case "#" where index == 0 || line[index - 1] == " " || line[index - 1] == "\t":
                return nil
            case "\"" where atTokenStart:
                quote = scalar
            case "'" where atTokenStart:
                quote = scalar
            case "[", "{":
                flowDepth += 1
                if flowDepth > Self.maximumFlowDepth {
                    return Refusal(location: SourceLocation(line: lineNumber, column: index + 1), message: "more than \(Self.maximumFlowDepth) nested [ or { here; scenario files never nest that deep")
                }
            case "]", "}":
                flowDepth = max(0, flowDepth - 1)
                if Self.colonFollows(line, after: index + 1) { noteComplexKey(lineNumber, index) }
            case "&" where atTokenStart && Self.isAnchorCharacter(line, index + 1):
                hasAnchors = true
            case "*" where atTokenStart && Self.isAnchorCharacter(line, index + 1):
                var end = index + 1
                while Self.isAnchorCharacter(line, end) { end += 1 }
                if Self.colonFollows(line, after: end) { noteComplexKey(lineNumber, index) }
                index = end - 1
            case "?" where atTokenStart && Self.isBlank(line, index + 1):
                noteComplexKey(lineNumber, index)
            default:
                break
            }
            index += 1
        }
        return nil
    }

    private mutating func noteComplexKey(_ lineNumber: Int, _ index: Int) {
        if complexKey == nil { complexKey = SourceLocation(line: lineNumber, column: index + 1) }
    }

    /// Where a line's content starts after indentation and block indicators
    /// (`- `, `? `, `: `): the depth of block nesting on that line.
    private static func contentStart(of line: [Unicode.Scalar], explicitKey: inout SourceLocation?, lineNumber: Int) -> Int {
        var index = 0
        while index < line.count {
            let scalar = line[index]
            if scalar == " " || scalar == "\t" {
                index += 1
            } else if "-?:".unicodeScalars.contains(scalar), isBlank(line, index + 1) {
                if scalar == "?", explicitKey == nil { explicitKey = SourceLocation(line: lineNumber, column: index + 1) }
                index += 1
            } else {
                break
            }
        }
        return index
    }

    private static func colonFollows(_ line: [Unicode.Scalar], after start: Int) -> Bool {
        var index = start
        while index < line.count, line[index] == " " || line[index] == "\t" { index += 1 }
        return index < line.count && line[index] == ":" && (isBlank(line, index + 1) || ",]}".unicodeScalars.contains(line[index + 1]))
    }

    /// True past the end of the line too, where a blank is implied.
    private static func isBlank(_ line: [Unicode.Scalar], _ index: Int) -> Bool {
        index >= line.count || line[index] == " " || line[index] == "\t" || line[index] == "\r"
    }

    private static func isAnchorCharacter(_ line: [Unicode.Scalar], _ index: Int) -> Bool {
        guard index < line.count else { return false }
        let scalar = line[index]
        return scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
    }
}
