import Yams

/// `load:` — the rate and how long, or stages; and how readings travel:
///
/// ```yaml
/// load:
///   rate: every 5s          # per sensor; or a total such as 20000/s
///   duration: 10m           # one constant stage; or `stages:` (see Stage+Decoding)
///   qos: 1                  # 0, 1 or 2
///   transport: mqtt         # mqtt, redis-stream or both
///   history: false          # also store every reading in PostgreSQL
///   keys: generated         # or a folder of owner key files
/// ```
extension LoadProfile {
    static let keys = ["rate", "duration", "stages", "qos", "transport", "history", "keys"]
    static let maximumStages = 1000

    struct Decoded {
        var profile: LoadProfile
        var stageGates: [Gate]
    }

    static func decode(_ node: Node, reader: ScenarioReader, sensorCount: Int?) -> Decoded? {
        guard let fields = reader.fields(node, "load", allowed: keys) else { return nil }
        let defaultRate = fields["rate"].map { node in
            reader.rate(node, "load.rate", allowZero: false).flatMap { rate in
                sensorCount.map { Stage.checkTotal(rate, sensorCount: $0, "load.rate", at: node, reader: reader) } == false ? nil : rate
            }
        }
        let qos = fields["qos"].map { reader.integer($0, "load.qos", in: 0...2).flatMap(QoS.init(rawValue:)) } ?? .atLeastOnce
        let transport = fields["transport"].map { reader.choice($0, "load.transport", as: Transport.self) } ?? .mqtt
        let history = fields["history"].map { reader.bool($0, "load.history") } ?? false
        let keySource = fields["keys"].map { decodeKeySource($0, reader: reader) } ?? .generated
        let context = Stage.Context(defaultRate: defaultRate.flatMap { $0 }, sensorCount: sensorCount)
        let stages: Stage.DecodedList?
        switch (fields["duration"], fields["stages"]) {
        case (let durationNode?, _?):
            reader.report("load has both 'duration' and 'stages'; give duration for one constant stage, or stages, not both", at: durationNode)
            stages = nil
        case (nil, let stagesNode?):
            stages = Stage.decodeList(stagesNode, context: context, reader: reader)
        case (let durationNode?, nil):
            stages = singleStage(durationNode, fields: fields, context: context, reader: reader)
        case (nil, nil):
            reader.report("load needs 'duration' (like 10m) for one constant stage, or 'stages'", at: node)
            stages = nil
        }
        guard defaultRate != .some(nil), let qos, let transport, let history, let keySource, let stages else { return nil }
        let profile = LoadProfile(stages: stages.stages, qos: qos, transport: transport, history: history, keys: keySource)
        guard check(profile, at: fields["stages"] ?? fields["duration"] ?? node, sensorCount: sensorCount, reader: reader) else { return nil }
        return Decoded(profile: profile, stageGates: stages.gates)
    }

    /// `duration:` with the load's `rate`: a single constant stage.
    private static func singleStage(_ node: Node, fields: ScenarioReader.Fields, context: Stage.Context, reader: ScenarioReader) -> Stage.DecodedList? {
        let duration = reader.duration(node, "load.duration", in: Stage.durationRange)
        guard let rate = context.defaultRate else {
            if fields["rate"] == nil {
                reader.report("load needs 'rate' (like every 5s or 2000/s) to go with its duration", at: fields.node)
            }
            return nil
        }
        guard let duration else { return nil }
        return Stage.DecodedList(stages: [Stage(name: Stage.Kind.constant.rawValue, duration: duration, shape: .constant(rate))], gates: [])
    }

    /// Limits on the run as a whole.
    private static func check(_ profile: LoadProfile, at node: Node, sensorCount: Int?, reader: ScenarioReader) -> Bool {
        guard profile.duration <= maximumDuration else {
            reader.report("the stages add up to \(profile.duration.scenarioText); a run lasts at most \(maximumDuration.scenarioText)", at: node)
            return false
        }
        guard profile.stages.contains(where: \.measured) else {
            reader.report("no stage is measured (warm_up stages and measured: false are not), so the run would have no results; add a constant, ramp, step, spike or soak stage", at: node)
            return false
        }
        if let sensorCount, RateSchedule(stages: profile.stages, sensorCount: sensorCount).totalCount < 1 {
            reader.report("this load sends no messages (every rate is 0); give a rate above 0", at: node)
            return false
        }
        return true
    }

    private static func decodeKeySource(_ node: Node, reader: ScenarioReader) -> KeySource? {
        guard let text = reader.text(node, "load.keys", maximumLength: 4096) else { return nil }
        guard !text.trimmingBlanks.isEmpty else {
            reader.report("load.keys must be 'generated' or a folder of owner key files; got nothing", at: node)
            return nil
        }
        return text == "generated" ? .generated : .directory(text)
    }
}
