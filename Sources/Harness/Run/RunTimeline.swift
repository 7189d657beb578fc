import Publisher
import SensorKit

/// Where a reading belongs in the report: the stage its intended send time
/// falls in and its sensor's kind, both as small indices so the hot path
/// indexes arrays instead of hashing strings.
///
/// A reading is counted in the stage it was *meant* to be sent in, not the
/// one it arrived in, so a backlog that drains into the cool-down still
/// counts against the peak that caused it.
public struct RunTimeline: Sendable {
    public struct Stage: Sendable, Equatable {
        public var name: String
        /// Nanoseconds from the start of the run.
        public var start: Int64
        public var end: Int64
        public var measured: Bool
        /// The planned send rate averaged over the stage.
        public var plannedRate: Double
    }

    public let stages: [Stage]
    /// Index → kind, in the order the estate first names them.
    public let kinds: [SensorKind]
    /// Sensor id → index into `kinds` (index 0 is unused: ids start at 1).
    private let kindOfSensor: [UInt8]

    public init(plan: SendPlan, layout: EstateLayout) {
        let schedule = plan.schedule
        stages = schedule.stages.map { span in
            let expected = schedule.expectedCount(at: span.end) - schedule.expectedCount(at: span.start)
            let seconds = span.end - span.start
            return Stage(
                name: span.name, start: Int64((span.start * 1e9).rounded()), end: Int64((span.end * 1e9).rounded()),
                measured: span.measured, plannedRate: seconds > 0 ? expected / seconds : 0
            )
        }
        var kinds: [SensorKind] = []
        var index: [SensorKind: UInt8] = [:]
        var kindOfSensor = [UInt8](repeating: 0, count: layout.sensorCount + 1)
        layout.forEachSensor { sensor in
            let position: UInt8
            if let known = index[sensor.kind] {
                position = known
            } else {
                position = UInt8(truncatingIfNeeded: kinds.count)
                index[sensor.kind] = position
                kinds.append(sensor.kind)
            }
            kindOfSensor[sensor.id] = position
        }
        self.kinds = kinds.isEmpty ? [SensorKind("none")] : kinds
        self.kindOfSensor = kindOfSensor
    }

    /// The stage of a moment `offset` nanoseconds into the run: the last
    /// stage for anything after the end, the first for anything before.
    public func stage(atOffset offset: Int64) -> Int {
        for (index, stage) in stages.enumerated() where offset < stage.end { return index }
        return max(0, stages.count - 1)
    }

    /// The kind index of sensor `id`; 0 for ids outside the estate.
    public func kind(ofSensor id: Int) -> Int {
        id > 0 && id < kindOfSensor.count ? Int(kindOfSensor[id]) : 0
    }

    public var stageCount: Int { max(1, stages.count) }
}
