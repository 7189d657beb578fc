import Reports
import Scenario

/// Judges a scenario's gates against a finished (or merged) report.
///
/// Every gate gets a result, including gates that cannot be judged (a stage
/// that recorded nothing, an alarm gate in a run without alarms): those fail
/// with a note, because a gate that silently passes on missing data would let
/// a broken run through CI. The exit code (3 when any gate fails) is the
/// CLI's business; ``RunReport/judge(_:)`` stores the results and verdict.
public enum GateEvaluator {
    /// - Parameter scenarioFile: named in each result's location, so a
    ///   failure points at the line that set the gate.
    public static func evaluate(_ gates: [Gate], against report: RunReport, scenarioFile: String? = nil) -> [GateResult] {
        gates.map { evaluate($0, against: report, scenarioFile: scenarioFile) }
    }

    public static func evaluate(_ gate: Gate, against report: RunReport, scenarioFile: String? = nil) -> GateResult {
        let measurement = measure(gate, in: report)
        let passed = measurement.value.map(gate.isSatisfied(by:)) ?? false
        var location: String?
        if gate.location != .unknown {
            location = scenarioFile.map { "\($0):\(gate.location)" } ?? "line \(gate.location.line), column \(gate.location.column)"
        }
        return GateResult(
            name: gate.description, metric: gate.metric.rawValue, stage: gate.stage, threshold: gate.expression,
            observed: measurement.value, observedText: measurement.text, passed: passed, location: location, note: measurement.note
        )
    }

    /// A figure in the gate's base unit, how to show it, and why it is missing.
    struct Measurement {
        var value: Double?
        var text: String
        var note: String?

        static func missing(_ note: String) -> Measurement { Measurement(value: nil, text: "not measured", note: note) }
    }

    static func measure(_ gate: Gate, in report: RunReport) -> Measurement {
        let scope = gate.stage.map { "stage \($0)" } ?? "the measured stages"
        switch gate.metric {
        case .p50Latency, .p99Latency, .p999Latency:
            guard let record = report.latency(.endToEnd, stage: gate.stage), record.summary.count > 0 else {
                return .missing("no reading was stored in \(scope), so there is no latency to judge")
            }
            let percentile: LatencyPercentile = gate.metric == .p50Latency ? .p50 : (gate.metric == .p99Latency ? .p99 : .p999)
            let milliseconds = record.summary.milliseconds(at: percentile)
            return Measurement(value: milliseconds / 1000, text: Format.milliseconds(milliseconds))
        case .loss, .duplicates, .evictions:
            guard let counts = counts(for: gate.stage, in: report) else {
                return .missing("stage \(gate.stage ?? "") is not in the report")
            }
            let count = gate.metric == .loss ? counts.lost : (gate.metric == .duplicates ? counts.duplicates : counts.evictions)
            let share = counts.sent > 0 ? Double(count) / Double(counts.sent) : 0
            let text = "\(Format.count(count)) (\(Format.percent(share)) of \(Format.count(counts.sent)) sent)"
            if case .fraction = gate.threshold {
                guard counts.sent > 0 else { return .missing("nothing was sent in \(scope), so there is no share to judge") }
                return Measurement(value: share, text: text)
            }
            return Measurement(value: Double(count), text: text)
        case .throughput:
            if let stage = gate.stage {
                guard let summary = report.stages.first(where: { $0.name == stage }) else { return .missing("stage \(stage) is not in the report") }
                return Measurement(value: summary.throughput, text: Format.rate(summary.throughput))
            }
            guard report.stages.contains(where: \.measured) else { return .missing("the report has no measured stage") }
            return Measurement(value: report.measuredThroughput, text: Format.rate(report.measuredThroughput))
        case .alarmLatency:
            guard let record = report.alarms.toMQTT, record.summary.count > 0 else {
                return .missing("no alarm reached MQTT during the run, so there is no alarm latency to judge")
            }
            let note = gate.stage.map { _ in "alarm latency is measured over the whole run, not per stage" }
            return Measurement(value: record.summary.p99Ms / 1000, text: Format.milliseconds(record.summary.p99Ms) + " (p99)", note: note)
        }
    }

    private static func counts(for stage: String?, in report: RunReport) -> MessageCounts? {
        guard let stage else { return report.counts }
        return report.stages.first { $0.name == stage }?.counts
    }
}
