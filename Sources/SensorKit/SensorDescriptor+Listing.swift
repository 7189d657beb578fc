/// The declarations as text for people: what `hearth plugins list` prints.
/// Kept here, next to the declarations, so every tool that shows a plugin
/// (CLI, dashboard, reports) says the same thing.
extension SensorDescriptor {
    public var listing: String {
        var lines = ["\(kind) — \(displayName)", "  \(summary)", "  reports \(reporting.summary)"]
        lines.append("  fields:")
        lines += Self.table(fields.map { field in
            switch field.type {
            case .number(let number):
                let decimals = number.decimals == 1 ? "1 decimal" : "\(number.decimals) decimals"
                return [field.name, "number", number.unit, "\(Self.range(number.range)) (\(decimals))", field.summary]
            case .choice(let values):
                return [field.name, "state", "", values.joined(separator: " | "), field.summary]
            }
        })
        lines.append("  alarms:")
        lines += alarms.isEmpty ? ["    none"] : Self.table(alarms.map { [$0.name, $0.summary, "when \($0.trigger.rule)"] })
        lines.append("  events:")
        lines += events.isEmpty ? ["    none"] : Self.table(events.map { event in
            let parameters = event.parameters.map { parameter in
                let need = parameter.defaultValue.map { "default \($0.compactDescription)" } ?? "required"
                return "\(parameter.name): \(Self.range(parameter.range)) \(parameter.unit), \(need)"
            }
            return [event.name, parameters.isEmpty ? "" : "(\(parameters.joined(separator: "; ")))", event.summary]
        })
        return lines.joined(separator: "\n")
    }

    private static func range(_ range: ClosedRange<Double>) -> String {
        "\(range.lowerBound.compactDescription)...\(range.upperBound.compactDescription)"
    }

    /// Rows as aligned columns, indented under a heading; empty columns collapse.
    private static func table(_ rows: [[String]]) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            let cells = row.enumerated().filter { widths[$0.offset] > 0 }.map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index])
            }
            return ("    " + cells.joined(separator: "  ")).trailingSpacesTrimmed
        }
    }
}

extension String {
    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }

    fileprivate var trailingSpacesTrimmed: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
