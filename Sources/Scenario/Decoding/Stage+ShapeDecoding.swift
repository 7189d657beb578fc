import Yams

/// The rates of each stage shape, with their defaults and limits.
extension Stage {
    /// The shape's rates; `duration` is nil when the stage's duration was
    /// wrong, and then only the spike's timing goes unchecked.
    static func decodeShape(_ kind: Kind, duration: Duration?, fields: ScenarioReader.Fields, context: Context, previousRate: Rate?, reader: ScenarioReader) -> Shape? {
        let rates = StageRates(fields: fields, context: context, reader: reader, kind: kind)
        switch kind {
        case .warmUp:
            return rates.read("rate", allowZero: false, default: context.defaultRate).map { .warmUp(to: $0) }
        case .constant:
            return rates.read("rate", allowZero: true, default: context.defaultRate).map { .constant($0) }
        case .soak:
            return rates.read("rate", allowZero: true, default: context.defaultRate).map { .soak($0) }
        case .ramp:
            let from = rates.read("from", allowZero: true, default: previousRate ?? context.defaultRate ?? .zero)
            let to = rates.read("to", allowZero: true, default: nil)
            guard let from, let to else { return nil }
            return .ramp(from: from, to: to)
        case .step:
            let from = rates.read("from", allowZero: true, default: previousRate ?? context.defaultRate ?? .zero)
            let to = rates.read("to", allowZero: true, default: nil)
            let steps = fields["steps"].map { reader.integer($0, fields.path("steps"), in: 2...maximumSteps) } ?? defaultSteps
            guard let from, let to, let steps else { return nil }
            return .step(from: from, to: to, steps: steps)
        case .spike:
            return decodeSpike(duration: duration, rates: rates, fields: fields, context: context, reader: reader)
        }
    }

    private static func decodeSpike(duration: Duration?, rates: StageRates, fields: ScenarioReader.Fields, context: Context, reader: ScenarioReader) -> Shape? {
        let base = rates.read("rate", allowZero: true, default: context.defaultRate)
        let peak = rates.read("peak", allowZero: false, default: nil)
        guard let duration else { return nil }
        let peakDuration = fields["peak_duration"].map {
            reader.duration($0, fields.path("peak_duration"), in: .milliseconds(1)...duration)
        } ?? duration / 10
        guard let peakDuration else { return nil }
        let peakStart = fields["peak_at"].map {
            reader.duration($0, fields.path("peak_at"), in: .zero...(duration - peakDuration))
        } ?? (duration - peakDuration) / 2
        guard let base, let peak, let peakStart else { return nil }
        if let sensorCount = context.sensorCount, peak.totalPerSecond(sensorCount: sensorCount) <= base.totalPerSecond(sensorCount: sensorCount) {
            reader.report("\(fields.path("peak")) (\(peak.scenarioText)) must be above the spike's base rate (\(base.scenarioText)); over \(sensorCount.grouped) sensors they are \(Rate.format(peak.totalPerSecond(sensorCount: sensorCount)))/s and \(Rate.format(base.totalPerSecond(sensorCount: sensorCount)))/s", at: fields["peak"] ?? fields.node)
            return nil
        }
        return .spike(base: base, peak: peak, peakStart: peakStart, peakDuration: peakDuration)
    }

    /// Checks that a rate, multiplied out over the estate, stays within the
    /// total limit.
    static func checkTotal(_ rate: Rate, sensorCount: Int, _ path: String, at node: Node, reader: ScenarioReader) -> Bool {
        let total = rate.totalPerSecond(sensorCount: sensorCount)
        guard total <= LoadProfile.maximumTotalRate else {
            reader.report("\(path) is \(rate.scenarioText), which over \(sensorCount.grouped) sensors is \(Rate.format(total.rounded()))/s; the total rate is at most \(Int(LoadProfile.maximumTotalRate).grouped)/s", at: node)
            return false
        }
        return true
    }
}

/// Reads one rate key of a stage, falling back to its default and checking
/// the total against the estate's size.
private struct StageRates {
    let fields: ScenarioReader.Fields
    let context: Stage.Context
    let reader: ScenarioReader
    let kind: Stage.Kind

    func read(_ key: String, allowZero: Bool, default fallback: Rate?) -> Rate? {
        guard let node = fields[key] else {
            if fallback == nil {
                let hint = key == "rate" ? ", or set load.rate for every stage" : ""
                reader.report("\(fields.path) (\(kind.rawValue)) needs '\(key)', a rate like 2000/s or every 5s\(hint)", at: fields.node)
            }
            return fallback
        }
        guard let rate = reader.rate(node, fields.path(key), allowZero: allowZero) else { return nil }
        if let sensorCount = context.sensorCount, !Stage.checkTotal(rate, sensorCount: sensorCount, fields.path(key), at: node, reader: reader) {
            return nil
        }
        return rate
    }
}
