import Yams

/// `gates:` (top level, or inside a stage) — a metric and a condition:
///
/// ```yaml
/// gates:
///   p99_latency: "< 50ms"
///   loss: "== 0"            # a count, or a share: "< 0.1%"
///   throughput: ">= 9000/s" # quote it: a bare > starts a YAML block
/// ```
extension Gate {
    static let latencyRange = Duration.nanoseconds(1)...Duration.seconds(3600)

    static func decodeGates(_ node: Node, _ path: String, stage: String?, peakRate: Double?, reader: ScenarioReader) -> [Gate]? {
        let metrics = GateMetric.allCases.map(\.rawValue)
        guard let fields = reader.fields(node, path, allowed: metrics) else { return nil }
        var gates: [Gate] = []
        var failed = false
        for metric in GateMetric.allCases {
            guard let valueNode = fields[metric.rawValue] else { continue }
            guard let gate = decode(metric, valueNode, fields.path(metric.rawValue), stage: stage, reader: reader) else {
                failed = true
                continue
            }
            if metric == .throughput, let peakRate, !gate.isSatisfied(by: peakRate) {
                let scope = stage == nil ? "the measured stages plan" : "this stage plans"
                reader.report("\(fields.path(metric.rawValue)) can never pass: \(scope) at most \(Rate.format(peakRate.rounded()))/s", at: valueNode)
                failed = true
                continue
            }
            gates.append(gate)
        }
        return failed ? nil : gates
    }

    private static func decode(_ metric: GateMetric, _ node: Node, _ path: String, stage: String?, reader: ScenarioReader) -> Gate? {
        let example = example(for: metric)
        guard let text = reader.scalar(node, path, expected: "a condition like \"\(example)\"") else { return nil }
        let body = text.trimmingBlanks
        guard let comparison = Comparison.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count }).first(where: { body.hasPrefix($0.rawValue) }) else {
            let hint = body.hasPrefix("=") ? " (write == for equals)" : ""
            reader.report("\(path) must start with <, <=, ==, >= or >\(hint), as in \"\(example)\"; got '\(text.shown)'", at: node)
            return nil
        }
        let valueText = String(body.dropFirst(comparison.rawValue.count).trimmingBlanks)
        guard let threshold = threshold(metric, valueText, path, at: node, reader: reader) else { return nil }
        let gate = Gate(metric: metric, comparison: comparison, threshold: threshold, stage: stage, location: node.location)
        if neverHolds(gate) {
            reader.report("\(path) '\(text.shown)' can never pass, because \(metric.rawValue) is never negative", at: node)
            return nil
        }
        return gate
    }

    /// `< 0` and friends: nothing measured is negative.
    private static func neverHolds(_ gate: Gate) -> Bool {
        let value = gate.threshold.baseValue
        switch gate.comparison {
        case .lessThan: return value <= 0
        case .atMost, .equal: return value < 0
        case .atLeast, .greaterThan: return false
        }
    }

    private static func threshold(_ metric: GateMetric, _ text: String, _ path: String, at node: Node, reader: ScenarioReader) -> Threshold? {
        switch metric.unit {
        case .duration:
            do {
                let duration = try Duration(scenarioText: text)
                guard latencyRange.contains(duration) else {
                    reader.report("\(path) must compare with a time from 1ns to 1h, like \"< 50ms\"; got '\(text.shown)'", at: node)
                    return nil
                }
                return .duration(duration)
            } catch {
                reader.report("\(path): \(error.message)", at: node)
                return nil
            }
        case .count, .countOrPercentage:
            if metric.unit == .countOrPercentage, text.hasSuffix("%") {
                let number = DecimalPrefix.read(text.dropLast().trimmingBlanks)
                guard let number, number.rest.isEmpty, number.value <= 100 else {
                    reader.report("\(path) must compare with a share from 0% to 100%, like \"< 0.1%\"; got '\(text.shown)'", at: node)
                    return nil
                }
                return .fraction(number.value / 100)
            }
            guard let count = ScenarioReader.wholeNumber(text), count >= 0 else {
                let forms = metric.unit == .countOrPercentage ? "a count like \"== 0\" or a share like \"< 0.1%\"" : "a count like \"== 0\""
                reader.report("\(path) must compare with \(forms); got '\(text.shown)'", at: node)
                return nil
            }
            return .count(count)
        case .rate:
            do {
                let rate = try Rate(scenarioText: text)
                guard rate.basis == .total, rate.perSecond > 0 else {
                    reader.report("\(path) must compare with a total rate above 0, like \">= 9000/s\" (throughput counts the whole estate); got '\(text.shown)'", at: node)
                    return nil
                }
                return .rate(rate.perSecond)
            } catch {
                reader.report("\(path): \(error.message)", at: node)
                return nil
            }
        }
    }

    private static func example(for metric: GateMetric) -> String {
        switch metric.unit {
        case .duration: "< 50ms"
        case .count: "== 0"
        case .countOrPercentage: "< 0.1%"
        case .rate: ">= 9000/s"
        }
    }
}
