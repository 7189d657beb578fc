import Fernet
import Logging
import Scenario
import SensorCatalog
import SensorKit

/// What every worker's engine is built from; the same for all workers.
struct SendEngineBlueprint: Sendable {
    var layout: EstateLayout
    var plan: SendPlan
    var catalog: SensorCatalog
    var seed: UInt64
    var events: [ScenarioEvent]
    var keyring: Keyring
    var clock: any PublisherClock
    var keepsReadings: Bool
    var shard: LoadShard?
    var logger: Logger
}

extension SendEngine {
    /// Builds worker `worker`'s engine: one sensor group per kind holding the
    /// sensors of the houses it owns (each seeded with its sensor id as the
    /// random stream, so a sensor behaves the same whichever worker runs it),
    /// its share of the schedule and the scenario's sensor events.
    ///
    /// - Parameter start: the simulated time sensors are created at; the run
    ///   itself starts with ``begin(wallStart:)``, a little later.
    static func build(worker: Int, from blueprint: SendEngineBlueprint, start: Timestamp) -> SendEngine {
        let layout = blueprint.layout
        let plan = blueprint.plan
        let endOffset = plan.endOffset
        var groupIndexByKind: [SensorKind: Int] = [:]
        var groups: [any SensorGroup] = []
        var encoders: [ReadingEncoder] = []
        var nameIndex: [String: Int32] = [:]
        var names: [String] = []
        var members: [Member] = []
        var scheduledGlobal: [Int] = []
        var scheduledLocal: [Int] = []
        var firstPolls: [(sensor: Int, offset: Int64)] = []

        for (spanIndex, span) in layout.spans.enumerated() {
            let spanPlan = plan.spanPlans[spanIndex]
            for houseOffset in 0 ..< span.houseCount {
                let house = span.firstHouse + houseOffset
                guard plan.worker(ofHouse: house) == worker, blueprint.shard?.contains(house: house) ?? true else { continue }
                let owner = span.explicitOwner ?? ((house - 1) % layout.ownerCount) + 1
                let connection = Int32(layout.connection(ofHouse: house) / plan.workerCount)
                for (specIndex, spec) in span.sensors.enumerated() {
                    let id = span.firstSensor + houseOffset * span.sensors.count + specIndex
                    let group: Int
                    if let existing = groupIndexByKind[spec.kind] {
                        group = existing
                    } else {
                        // SendPlan already refused kinds the catalogue lacks.
                        let plugin = blueprint.catalog.plugin(for: spec.kind)!
                        group = groups.count
                        groupIndexByKind[spec.kind] = group
                        groups.append(plugin.makeGroup())
                        encoders.append(ReadingEncoder(plugin.descriptor))
                    }
                    let local = groups[group].addSensor(seed: blueprint.seed, stream: UInt64(id), at: start)
                    let name: Int32
                    if let known = nameIndex[spec.name] {
                        name = known
                    } else {
                        name = Int32(names.count)
                        nameIndex[spec.name] = name
                        names.append(spec.name)
                    }
                    let rank = spanPlan.scheduledRank[specIndex]
                    members.append(Member(
                        group: Int32(group), local: Int32(local), sensorID: id, houseID: house, ownerID: owner,
                        connection: connection, name: name, kind: spec.kind, isScheduled: rank != nil
                    ))
                    if let rank {
                        scheduledGlobal.append(spanPlan.firstScheduled + houseOffset * spanPlan.scheduledSpecs.count + rank)
                        scheduledLocal.append(members.count - 1)
                    } else {
                        let offset = firstPollOffset(sensorID: id, reporting: plan.reportingByKind[spec.kind], seed: blueprint.seed)
                        firstPolls.append((members.count - 1, offset))
                    }
                }
            }
        }

        let cursor = ScheduledSendCursor(
            schedule: plan.schedule, period: plan.scheduledSensorCount, members: scheduledGlobal, endOffset: endOffset
        )
        let engine = SendEngine(
            worker: worker, clock: blueprint.clock, keyring: blueprint.keyring, cursor: cursor,
            keepsReadings: blueprint.keepsReadings, logger: blueprint.logger
        )
        engine.groups = groups
        engine.encoders = encoders
        engine.names = names
        engine.members = members
        engine.scheduledMembers = scheduledLocal
        engine.firstPolls = firstPolls.filter { $0.offset < endOffset }
        engine.events = blueprint.events.compactMap { event in
            guard case .sensor(let trigger) = event.action else { return nil }
            let offset = Int64((event.at.secondsValue * 1e9).rounded())
            return offset < endOffset ? PlannedSensorEvent(offset: offset, event: event, trigger: trigger) : nil
        }.sorted { $0.offset < $1.offset }
        return engine
    }

    /// When an event-driven sensor first reports: at a point drawn from its
    /// own random stream within its heartbeat interval, as if the estate had
    /// been running for a while, so that any stretch of a run carries the
    /// steady-state share of heartbeats. Starting them all at once, or
    /// squeezing them into a short run, would be a burst no real estate
    /// produces (300,000 door contacts would add 60,000 readings a second to
    /// a five-second run). A scenario event brings a sensor's report forward.
    static func firstPollOffset(sensorID: Int, reporting: ReportingMode?, seed: UInt64) -> Int64 {
        let heartbeat: Double
        switch reporting {
        case .onChange(_, let interval): heartbeat = interval
        case .periodic(let interval): heartbeat = interval
        case nil: heartbeat = 0
        }
        // A stream apart from the plugin's own (which uses the id itself).
        var random = SeededRandom(seed: seed ^ 0x9E37_79B9_7F4A_7C15, stream: UInt64(sensorID))
        return Int64((random.unit() * max(0, heartbeat) * 1e9).rounded(.down))
    }
}
