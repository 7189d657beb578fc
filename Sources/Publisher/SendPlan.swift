import Scenario
import SensorCatalog
import SensorKit

/// Which sensor sends which reading when: the open-loop plan of a run.
///
/// Sensors come in two sorts, as their plugins declare:
///
/// - **Scheduled** (`.periodic` reporting) sensors share the scenario's rate
///   schedule round-robin. Send number n of the run (from 0) belongs to the
///   scheduled sensor with scheduled index `n mod P` (P scheduled sensors,
///   indexed in sensor-id order), so sensor j's k-th reading (`seq` k) is send
///   `k·P + j` and is due at ``RateSchedule/intendedTime(ofSend:)`` of that
///   number. Anyone holding the scenario can therefore recompute the intended
///   send time of every scheduled reading from its sensor and `seq` (see
///   ``intendedOffset(sensorID:seq:)``): that is what coordinated-omission-
///   correct latency needs, without putting extra fields in the payload.
///   A per-sensor rate (`every 5s`) is multiplied by P, so each scheduled
///   sensor reports at that pace; a total rate is shared among them.
/// - **Event-driven** (`.onChange`) sensors report when their plugin says
///   something is due (a debounced change, a heartbeat), on their own time and
///   in addition to the schedule, as real contacts do. Their first report
///   falls somewhere in their heartbeat interval, as if the estate had been
///   running for a while, rather than all at once at the start; so a run
///   shorter than the heartbeat hears only some of them (and every one a
///   scenario event touches).
///
/// Work is divided by MQTT connection: worker w owns the houses whose
/// connection c has `c mod W == w`, with all their sensors, so each worker
/// encrypts and publishes on its own connections without sharing state.
public struct SendPlan: Sendable {
    /// The total send rate over time; its sends go to the scheduled sensors.
    public let schedule: RateSchedule
    /// Seconds from the start to the end of the run (the scenario's length,
    /// or the `--duration` given).
    public let runDuration: Double
    public let workerCount: Int
    public let scheduledSensorCount: Int
    public let eventDrivenSensorCount: Int

    let layout: EstateLayout
    /// Per house group: the first scheduled index and which of its sensor
    /// specs are scheduled; parallel to `layout.spans`.
    let spanPlans: [SpanPlan]
    /// Reporting of each kind in the estate.
    let reportingByKind: [SensorKind: ReportingMode]

    struct SpanPlan: Sendable, Equatable {
        var firstScheduled: Int
        /// Spec indices (within a house) of scheduled sensors, ascending.
        var scheduledSpecs: [Int]
        /// For each spec index, its rank among `scheduledSpecs`, or nil if event-driven.
        var scheduledRank: [Int?]
    }

    /// - Parameters:
    ///   - stages: the load stages; the run lasts `duration` if given (a
    ///     longer duration holds the last stage's final rate), else the stages' total.
    ///   - workers: how many workers share the connections (at most one per connection).
    /// - Throws: ``PublisherError/Code/unknownKind`` if the estate uses a kind the catalogue lacks.
    public init(layout: EstateLayout, stages: [Stage], catalog: SensorCatalog, workers: Int, duration: Duration? = nil) throws(PublisherError) {
        var reporting: [SensorKind: ReportingMode] = [:]
        var spanPlans: [SpanPlan] = []
        var scheduled = 0
        var eventDriven = 0
        for span in layout.spans {
            var specs: [Int] = []
            var ranks: [Int?] = []
            for (index, spec) in span.sensors.enumerated() {
                guard let descriptor = catalog.descriptor(for: spec.kind) else {
                    throw PublisherError(.unknownKind, "the estate has '\(spec.kind)' sensors but no plugin provides that kind; load it with --plugin or remove it from the scenario")
                }
                reporting[spec.kind] = descriptor.reporting
                if descriptor.reporting.isPeriodic {
                    ranks.append(specs.count)
                    specs.append(index)
                } else {
                    ranks.append(nil)
                }
            }
            spanPlans.append(SpanPlan(firstScheduled: scheduled, scheduledSpecs: specs, scheduledRank: ranks))
            scheduled += span.houseCount * specs.count
            eventDriven += span.houseCount * (span.sensors.count - specs.count)
        }
        let planned = Self.stages(stages, lasting: duration)
        self.layout = layout
        self.spanPlans = spanPlans
        self.reportingByKind = reporting
        scheduledSensorCount = scheduled
        eventDrivenSensorCount = eventDriven
        workerCount = max(1, min(workers, layout.connectionCount))
        schedule = RateSchedule(stages: planned, sensorCount: scheduled)
        runDuration = duration?.secondsValue ?? schedule.duration
    }

    /// Sends the schedule makes before the run ends: every n whose intended
    /// time (to the nanosecond, as the workers see it) is before ``runDuration``.
    public var scheduledSendCount: Int {
        guard scheduledSensorCount > 0 else { return 0 }
        let end = endOffset
        // Intended times only grow with n, so bisect near the expected count.
        var low = 0
        var high = min(schedule.sendCount, Int(schedule.expectedCount(at: runDuration).rounded(.up)) + 1)
        while low < high {
            let middle = (low + high) / 2
            if let offset = Self.offset(ofSend: middle, in: schedule), offset < end { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The scheduled sends of one shard's houses: the sends n whose
    /// scheduled index (n mod P) belongs to a sensor of the shard.
    public func scheduledSendCount(shard: LoadShard?) -> Int {
        let total = scheduledSendCount
        guard let shard, shard.count > 1, total > 0 else { return total }
        let period = scheduledSensorCount
        var count = 0
        for index in 0 ..< min(period, total) {
            guard let sensor = sensorID(ofScheduledIndex: index), let house = layout.sensor(id: sensor)?.houseID,
                  shard.contains(house: house) else { continue }
            count += (total - 1 - index) / period + 1
        }
        return count
    }

    /// The end of the run in nanoseconds from its start; nothing due at or
    /// after it is sent.
    var endOffset: Int64 { Int64((runDuration * 1e9).rounded()) }

    /// When send `n` is due, in whole nanoseconds from the start: the one
    /// rounding every part of the publisher uses.
    static func offset(ofSend n: Int, in schedule: RateSchedule) -> Int64? {
        schedule.intendedTime(ofSend: n).map { Int64(($0 * 1e9).rounded()) }
    }

    /// The worker that owns house `house`.
    public func worker(ofHouse house: Int) -> Int {
        layout.connection(ofHouse: house) % workerCount
    }

    /// The scheduled index of sensor `id` (its place in the round-robin), or
    /// nil for an event-driven sensor or an id outside the estate.
    public func scheduledIndex(ofSensor id: Int) -> Int? {
        guard id >= 1, id <= layout.sensorCount else { return nil }
        let spanIndex = layout.spans.lastIndex { $0.firstSensor <= id && !$0.sensors.isEmpty }!
        let span = layout.spans[spanIndex]
        let plan = spanPlans[spanIndex]
        let offset = id - span.firstSensor
        guard let rank = plan.scheduledRank[offset % span.sensors.count] else { return nil }
        return plan.firstScheduled + (offset / span.sensors.count) * plan.scheduledSpecs.count + rank
    }

    /// The sensor id with scheduled index `index`.
    public func sensorID(ofScheduledIndex index: Int) -> Int? {
        guard index >= 0, index < scheduledSensorCount else { return nil }
        let spanIndex = spanPlans.lastIndex { $0.firstScheduled <= index && !$0.scheduledSpecs.isEmpty }!
        let plan = spanPlans[spanIndex]
        let offset = index - plan.firstScheduled
        let house = offset / plan.scheduledSpecs.count
        let spec = plan.scheduledSpecs[offset % plan.scheduledSpecs.count]
        return layout.spans[spanIndex].firstSensor + house * layout.spans[spanIndex].sensors.count + spec
    }

    /// The run's send number of a scheduled sensor's reading `seq`.
    public func sendNumber(sensorID: Int, seq: UInt64) -> Int? {
        guard let index = scheduledIndex(ofSensor: sensorID) else { return nil }
        let (product, overflow) = Int(clamping: seq).multipliedReportingOverflow(by: scheduledSensorCount)
        return overflow ? nil : product + index
    }

    /// When a scheduled sensor's reading `seq` was meant to be sent, in
    /// nanoseconds from the start of the run (add the run's wall-clock start
    /// for `intended_ns`); nil for event-driven sensors (whose intended time
    /// is when their plugin said the reading was due, reported through
    /// ``PublisherObserver``) and for readings the run never makes.
    public func intendedOffset(sensorID: Int, seq: UInt64) -> Int64? {
        guard let n = sendNumber(sensorID: sensorID, seq: seq), let offset = Self.offset(ofSend: n, in: schedule), offset < endOffset else { return nil }
        return offset
    }

    /// `stages` cut to `duration`, or extended by holding the final rate.
    /// Cutting keeps the shapes (a ramp keeps its slope); the run just ends sooner.
    static func stages(_ stages: [Stage], lasting duration: Duration?) -> [Stage] {
        let total = stages.reduce(Duration.zero) { $0 + $1.duration }
        guard let duration, duration > total, let last = stages.last else { return stages }
        return stages + [Stage(name: "extended", duration: duration - total, shape: .constant(last.shape.finalRate), measured: last.measured)]
    }
}
