import Yams

/// Turns scenario text into a YAML node tree with line and column marks,
/// or into one located diagnostic when the text is not YAML.
///
/// It uses Yams' Node API (`compose`) rather than `Decodable`, because only
/// nodes keep the marks that `FILE:LINE:COL:` messages need.
enum YAMLFrontEnd {
    static func compose(_ text: String, reader: ScenarioReader) -> Node? {
        if let refusal = YAMLPreflight.check(text) {
            reader.report(refusal.message, at: refusal.location)
            return nil
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .default, .default, .utf8)
        } catch let error as YamlError {
            let (location, message) = describe(error, in: text)
            reader.report(message, at: location)
            return nil
        } catch {
            reader.report("could not read YAML: \(error)", at: SourceLocation(line: 1, column: 1))
            return nil
        }
        guard let root, !root.isNull else {
            reader.report("the file has no content; a scenario needs at least name, estate and load", at: SourceLocation(line: 1, column: 1))
            return nil
        }
        return root
    }

    /// Where libyaml stopped and why, in words that help fix the file.
    static func describe(_ error: YamlError, in text: String) -> (SourceLocation, String) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "invalid YAML: \(problem)"
            if let context {
                message += " (\(context.text) at \(context.mark.line):\(context.mark.column))"
            }
            if context?.text.contains("block scalar") == true {
                message += "; a value that starts with > or | must be quoted, as in \">= 9000/s\""
            } else if problem.contains("tab") {
                message += "; indent with spaces, not tabs"
            }
            return (SourceLocation(line: mark.line, column: mark.column), message)
        case .reader(let problem, let offset, _, _):
            return (location(ofByte: offset ?? 0, in: text), "the file is not readable text: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "'\($0.shown)'" }.joined(separator: ", ")
            return (SourceLocation(line: context.mark.line, column: context.mark.column), "duplicate key \(keys) in one mapping; each key may appear once")
        default:
            return (SourceLocation(line: 1, column: 1), "could not read YAML: \(error)")
        }
    }

    /// Line and column (in Unicode scalars) of a UTF-8 byte offset.
    static func location(ofByte offset: Int, in text: String) -> SourceLocation {
        var line = 1
        var column = 1
        var consumed = 0
        for scalar in text.unicodeScalars {
            let width = UTF8.width(scalar)
            guard consumed + width <= offset else { break }
            consumed += width
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SourceLocation(line: line, column: column)
    }
}
