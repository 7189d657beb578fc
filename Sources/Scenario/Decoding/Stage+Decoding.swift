import Yams

/// `load.stages:` — each stage names its shape with its duration, then the
/// shape's rates:
///
/// ```yaml
/// stages:
///   - warm_up: 30s            # rate: target (default load.rate)
///   - constant: 2m            # rate (default load.rate; 0 is an idle pause)
///   - ramp: 5m                # from (default: where the last stage ended), to
///     to: 20000/s
///   - step: 4m                # from, to, steps (default 4)
///   - spike: 1m               # rate (base), peak, peak_duration (default a tenth), peak_at (default centred)
///     peak: 50000/s
///   - soak: 1h
///     name: long haul         # default: the shape, numbered if repeated
///     measured: true          # default: true except for warm_up
///     gates: { p99_latency: "< 80ms" }
/// ```
extension Stage {
    static let durationRange = Duration.milliseconds(100)...LoadProfile.maximumDuration
    static let maximumSteps = 1000
    static let defaultSteps = 4
    static let commonKeys = ["name", "measured", "gates"]
    static let parameterKeys: [Kind: [String]] = [
        .warmUp: ["rate"], .constant: ["rate"], .soak: ["rate"],
        .ramp: ["from", "to"], .step: ["from", "to", "steps"],
        .spike: ["rate", "peak", "peak_duration", "peak_at"],
    ]
    static let allKeys = Kind.allCases.map(\.rawValue) + commonKeys + ["rate", "from", "to", "steps", "peak", "peak_duration", "peak_at"]

    /// What a stage inherits: the load's default rate and the sensor count
    /// that turns per-sensor rates into totals (nil when the estate failed).
    struct Context {
        var defaultRate: Rate?
        var sensorCount: Int?
    }

    struct DecodedList {
        var stages: [Stage]
        var gates: [Gate]
    }

    static func decodeList(_ node: Node, context: Context, reader: ScenarioReader) -> DecodedList? {
        guard let elements = reader.elements(node, "load.stages", expected: "a list of stages") else { return nil }
        guard (1...LoadProfile.maximumStages).contains(elements.count) else {
            reader.report("load.stages must list 1 to \(LoadProfile.maximumStages.grouped) stages; got \(elements.count.grouped)", at: node)
            return nil
        }
        var decoded: [(stage: Stage, explicitName: Bool, gates: [Gate])] = []
        var failed = false
        var previousRate: Rate?
        for (index, element) in elements.enumerated() where !reader.isExhausted {
            guard let stage = decode(element, "load.stages[\(index + 1)]", context: context, previousRate: previousRate, reader: reader) else {
                failed = true
                previousRate = nil
                continue
            }
            previousRate = stage.stage.shape.finalRate
            decoded.append(stage)
        }
        guard !failed, !reader.isExhausted else { return nil }
        guard let names = assignNames(decoded.map { ($0.stage.name, $0.explicitName) }, elements: elements, reader: reader) else { return nil }
        var stages: [Stage] = []
        var gates: [Gate] = []
        for (entry, name) in zip(decoded, names) {
            var stage = entry.stage
            stage.name = name
            stages.append(stage)
            gates += entry.gates.map { var gate = $0; gate.stage = name; return gate }
        }
        return DecodedList(stages: stages, gates: gates)
    }

    /// Explicit names must differ; a stage without one is called after its
    /// shape (`ramp`, then `ramp-2`, …), avoiding every explicit name.
    private static func assignNames(_ entries: [(name: String, explicit: Bool)], elements: [Node], reader: ScenarioReader) -> [String]? {
        var taken: [String: Int] = [:]
        for (index, entry) in entries.enumerated() where entry.explicit {
            if let first = taken[entry.name] {
                reader.report("load.stages[\(index + 1)].name '\(entry.name.shown)' is already the name of stage \(first + 1); stage names must differ", at: elements[index])
                return nil
            }
            taken[entry.name] = index
        }
        var used = Set(taken.keys)
        return entries.map { entry in
            guard !entry.explicit else { return entry.name }
            var candidate = entry.name
            var number = 1
            while used.contains(candidate) {
                number += 1
                candidate = "\(entry.name)-\(number)"
            }
            used.insert(candidate)
            return candidate
        }
    }

    private static func decode(_ node: Node, _ path: String, context: Context, previousRate: Rate?, reader: ScenarioReader) -> (stage: Stage, explicitName: Bool, gates: [Gate])? {
        guard let fields = reader.fields(node, path, allowed: allKeys) else { return nil }
        let shapeNames = Kind.allCases.filter { fields[$0.rawValue] != nil }
        guard shapeNames.count == 1, let kind = shapeNames.first, let shapeNode = fields[kind.rawValue] else {
            let shapes = Kind.allCases.map(\.rawValue).joined(separator: ", ")
            if shapeNames.isEmpty {
                reader.report("\(path) needs one of \(shapes), with the stage's duration (like ramp: 5m)", at: node)
            } else {
                reader.report("\(path) has \(shapeNames.map(\.rawValue).joined(separator: " and ")); a stage has exactly one shape", at: node)
            }
            return nil
        }
        let applicable = parameterKeys[kind, default: []]
        var failed = false
        for key in fields.values.keys.sorted() where !applicable.contains(key) && !commonKeys.contains(key) && key != kind.rawValue {
            let takes = applicable.joined(separator: ", ")
            reader.report("\(fields.path(key)) does not apply to a \(kind.rawValue) stage; it takes \(takes) (and name, measured, gates)", at: fields.values[key] ?? node)
            failed = true
        }
        let duration = reader.duration(shapeNode, fields.path(kind.rawValue), in: durationRange)
        let name = fields["name"].map { reader.label($0, fields.path("name"), maximumLength: 64) }
        let measured = fields["measured"].map { reader.bool($0, fields.path("measured")) }
        let shape = decodeShape(kind, duration: duration, fields: fields, context: context, previousRate: previousRate, reader: reader)
        guard !failed, let duration, let shape, name != .some(nil), measured != .some(nil) else { return nil }
        let stage = Stage(name: name.flatMap { $0 } ?? kind.rawValue, duration: duration, shape: shape, measured: measured.flatMap { $0 })
        let peak = context.sensorCount.map { count in shape.rates.map { $0.totalPerSecond(sensorCount: count) }.max() ?? 0 }
        let gates = fields["gates"].map { Gate.decodeGates($0, fields.path("gates"), stage: stage.name, peakRate: peak, reader: reader) } ?? []
        guard let gates else { return nil }
        return (stage, name != nil, gates)
    }
}
