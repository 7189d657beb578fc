/// `hearth report compare BASE NEW`: every figure side by side, and whether a
/// gate-relevant one regressed beyond the tolerance, which is what decides
/// the exit code (3) in CI.
///
/// A figure regresses when it moves the wrong way by more than the tolerance
/// relative to the baseline. From a baseline of zero any rise counts (a
/// first lost message is a regression however small the tolerance).
public struct ReportComparison: Sendable {
    public struct Row: Sendable, Equatable {
        public var name: String
        public var unit: String
        public var base: Double?
        public var new: Double?
        public var direction: ReportFigure.Direction
        public var gateRelevant: Bool
        public var verdict: Verdict

        /// Relative change, nil when either side is missing or the base is 0.
        public var change: Double? {
            guard let base, let new, base != 0 else { return nil }
            return (new - base) / abs(base)
        }
    }

    public enum Verdict: String, Sendable, Equatable {
        case regressed, improved, unchanged
        /// Only in the new report, or only in the baseline.
        case added, removed
    }

    public var rows: [Row]
    /// Messages about things that make the figures less comparable.
    public var warnings: [String]
    public var tolerance: Double

    public init(base: RunReport, new: RunReport, tolerance: Double) {
        self.tolerance = tolerance
        let baseFigures = Dictionary(base.figures.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var rows: [Row] = []
        var seen: Set<String> = []
        for figure in new.figures {
            seen.insert(figure.name)
            let old = baseFigures[figure.name]
            rows.append(Row(name: figure.name, unit: figure.unit, base: old?.value, new: figure.value, direction: figure.direction,
                            gateRelevant: figure.gateRelevant, verdict: old.map { Self.judge($0.value, figure.value, figure.direction, tolerance) } ?? .added))
        }
        for figure in base.figures where !seen.contains(figure.name) {
            rows.append(Row(name: figure.name, unit: figure.unit, base: figure.value, new: nil, direction: figure.direction,
                            gateRelevant: figure.gateRelevant, verdict: .removed))
        }
        self.rows = rows
        warnings = Self.warnings(base: base, new: new)
    }

    /// The gate-relevant figures that got worse beyond the tolerance.
    public var regressions: [Row] { rows.filter { $0.gateRelevant && $0.verdict == .regressed } }

    /// True when CI should fail the build (exit 3).
    public var hasGateRegression: Bool { !regressions.isEmpty }

    static func judge(_ base: Double, _ new: Double, _ direction: ReportFigure.Direction, _ tolerance: Double) -> Verdict {
        let worse: Bool
        let better: Bool
        switch direction {
        case .neutral:
            return .unchanged
        case .lowerIsBetter:
            worse = base == 0 ? new > 0 : new > base * (1 + tolerance)
            better = new < base * (1 - tolerance)
        case .higherIsBetter:
            worse = new < base * (1 - tolerance)
            better = base == 0 ? new > 0 : new > base * (1 + tolerance)
        }
        return worse ? .regressed : (better ? .improved : .unchanged)
    }

    private static func warnings(base: RunReport, new: RunReport) -> [String] {
        var warnings: [String] = []
        if base.scenario.name != new.scenario.name {
            warnings.append("the reports are of different scenarios ('\(base.scenario.name)' and '\(new.scenario.name)')")
        } else if base.scenario.yaml != new.scenario.yaml, !base.scenario.yaml.isEmpty, !new.scenario.yaml.isEmpty {
            warnings.append("scenario '\(new.scenario.name)' changed between the runs")
        }
        let baseVersions = Dictionary(base.versions.listed.map { ($0.name, $0.version) }, uniquingKeysWith: { first, _ in first })
        for (name, version) in new.versions.listed where name != "hearth" {
            if let old = baseVersions[name], old != version {
                warnings.append("\(name) changed from \(old) to \(version)")
            }
        }
        return warnings
    }

    /// The comparison as a table for the terminal, gate-relevant rows first.
    public func rendered() -> String {
        let ordered = rows.filter(\.gateRelevant) + rows.filter { !$0.gateRelevant }
        var lines = warnings.map { "warning: \($0)" }
        let header = ["figure", "base", "new", "change", ""]
        var table = [header]
        for row in ordered {
            let change = row.change.map { ($0 >= 0 ? "+" : "") + Format.percent($0) } ?? (row.base == 0 && (row.new ?? 0) > 0 ? "from 0" : "")
            let mark: String = switch row.verdict {
            case .regressed: row.gateRelevant ? "REGRESSED" : "worse"
            case .improved: "improved"
            case .unchanged: ""
            case .added: "new"
            case .removed: "gone"
            }
            table.append([row.name, row.base.map { Self.show($0, row.unit) } ?? "-", row.new.map { Self.show($0, row.unit) } ?? "-", change, mark])
        }
        let widths = (0 ..< header.count).map { column in table.map { $0[column].count }.max() ?? 0 }
        for cells in table {
            lines.append(cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingTrailingBlanks)
        }
        let verdict = hasGateRegression
            ? "\(regressions.count) gate-relevant figure\(regressions.count == 1 ? "" : "s") regressed beyond \(Format.percent(tolerance))"
            : "no gate-relevant figure regressed beyond \(Format.percent(tolerance))"
        lines.append(verdict)
        return lines.joined(separator: "\n")
    }

    private static func show(_ value: Double, _ unit: String) -> String {
        switch unit {
        case "ms": Format.milliseconds(value)
        case "bytes": Format.bytes(value)
        case "fraction": Format.percent(value)
        case "messages/s": Format.rate(value)
        case "messages", "keys", "sensors": Format.count(Int(value.rounded()))
        default: Format.significant(value) + " " + unit
        }
    }
}

extension String {
    var trimmingTrailingBlanks: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
