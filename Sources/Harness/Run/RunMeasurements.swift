import BlockingIO
import Publisher
import Reports
import SensorCatalog
import Subscriber

/// The harness's own account of every reading of a run, fed by the
/// publisher (``PublisherObserver``: what went out, when it was meant to)
/// and the in-process subscriber (``SubscriberObserver``: what was stored,
/// when): latency per span, stage and kind, counts by `seq`, throughput per
/// second and end-to-end latency per second.
///
/// Both hooks run between batches on the publisher's worker threads and the
/// subscriber's consumer task, so each takes one uncontended lock per batch
/// and records into flat arrays: no Task, no string hashing per reading.
///
/// Intended send times: a scheduled reading's comes from the plan (sensor
/// and `seq` are enough, see ``SendPlan/intendedOffset(sensorID:seq:)``); an
/// event-driven reading's is noted when the publisher reports it, and a
/// reading stored before its batch was reported is settled at ``finish()``.
public final class RunMeasurements: PublisherObserver, SubscriberObserver, @unchecked Sendable {
    public let timeline: RunTimeline
    private let plan: SendPlan
    private let ledger: LatestKeyLedger?
    /// Kind indices whose sensors can raise alarms: their event-driven
    /// intended times are kept for the alarm report.
    private let alarmKinds: Set<Int>

    private let startLock = Mutex()
    private nonisolated(unsafe) var wallStart: Int64 = 0
    private nonisolated(unsafe) var wallStartSource: (@Sendable () -> Int64?)?

    private let sendLock = Mutex()
    private nonisolated(unsafe) var send: SendSide

    private let storeLock = Mutex()
    private nonisolated(unsafe) var store: StoreSide

    struct SendSide {
        var sentByStage: [Int]
        var sentPerSecond: [Int] = []
        var histograms: SpanHistograms
        /// Event-driven readings not yet stored: (sensor << 32 | seq) → intended ns.
        var pendingIntended: [UInt64: Int64] = [:]
        /// Event-driven readings of alarm kinds, kept for the whole run.
        var alarmIntended: [UInt64: Int64] = [:]
        var maxLag: Int64 = 0
        var maxBacklog = 0
    }

    struct StoreSide {
        var tracker: SequenceTracker
        var receivedByStage: [Int]
        var storedByStage: [Int]
        var distinctByStage: [Int]
        var duplicatesByStage: [Int]
        var outOfOrderByStage: [Int]
        var receivedPerSecond: [Int] = []
        var storedPerSecond: [Int] = []
        var histograms: SpanHistograms
        var second = -1
        var secondHistogram: LatencyHistogram = .latency()
        var points: [LatencyPoint] = []
        /// Stored before the publisher reported them (event-driven only).
        var unresolved: [(sensor: Int, seq: UInt64, sentAt: Int64, receivedAt: Int64, storedAt: Int64)] = []
        var storedTotal = 0
        var receivedTotal = 0
    }

    /// False when readings are seen on delivery rather than after their
    /// store (an external subscriber, see ``ReadingTap``): no received →
    /// stored span is recorded then.
    private let storesObserved: Bool

    public init(
        plan: SendPlan, layout: EstateLayout, catalog: SensorCatalog = .builtIn, ledger: LatestKeyLedger? = nil, storesObserved: Bool = true
    ) {
        let timeline = RunTimeline(plan: plan, layout: layout)
        self.timeline = timeline
        self.storesObserved = storesObserved
        self.plan = plan
        self.ledger = ledger
        alarmKinds = Set(timeline.kinds.indices.filter { !(catalog.plugin(for: timeline.kinds[$0])?.descriptor.alarms.isEmpty ?? true) })
        let stages = timeline.stageCount
        let kinds = timeline.kinds.count
        send = SendSide(sentByStage: Array(repeating: 0, count: stages), histograms: SpanHistograms(stages: stages, kinds: kinds))
        store = StoreSide(
            tracker: SequenceTracker(sensors: layout.sensorCount), receivedByStage: Array(repeating: 0, count: stages),
            storedByStage: Array(repeating: 0, count: stages), distinctByStage: Array(repeating: 0, count: stages),
            duplicatesByStage: Array(repeating: 0, count: stages), outOfOrderByStage: Array(repeating: 0, count: stages),
            histograms: SpanHistograms(stages: stages, kinds: kinds)
        )
    }

    /// Where the run's wall-clock start comes from (the publisher's
    /// ``Publisher/runStartWallNanoseconds``), read once it is known.
    public func startTime(from source: @escaping @Sendable () -> Int64?) {
        startLock.withLock { wallStartSource = source }
    }

    /// The run's start in ns since the epoch, or nil before the publisher started.
    public var runStartWallNanoseconds: Int64? {
        startLock.withLock {
            if wallStart == 0, let known = wallStartSource?() { wallStart = known }
            return wallStart == 0 ? nil : wallStart
        }
    }

    private static func key(_ sensor: Int, _ seq: UInt64) -> UInt64 {
        UInt64(truncatingIfNeeded: sensor) << 32 | (seq & 0xFFFF_FFFF)
    }

    // MARK: Publisher side

    public func publisher(didSend batch: SentBatch) {
        guard let start = runStartWallNanoseconds else { return }
        sendLock.withLock {
            send.maxLag = max(send.maxLag, batch.lagNanoseconds)
            send.maxBacklog = max(send.maxBacklog, batch.backlog)
            for reading in batch.readings {
                let stage = timeline.stage(atOffset: reading.intendedNanoseconds - start)
                let kind = timeline.kind(ofSensor: reading.sensorID)
                send.sentByStage[stage] += 1
                Self.count(&send.sentPerSecond, at: reading.sentNanoseconds - start)
                send.histograms.record(.intendedToSent, stage: stage, kind: kind, nanoseconds: reading.latenessNanoseconds)
                if !reading.isScheduled {
                    let key = Self.key(reading.sensorID, reading.seq)
                    send.pendingIntended[key] = reading.intendedNanoseconds
                    if alarmKinds.contains(kind) { send.alarmIntended[key] = reading.intendedNanoseconds }
                }
            }
        }
    }

    // MARK: Subscriber side

    public func subscriberDidStore(_ batch: StoredBatch) {
        guard let start = runStartWallNanoseconds else { return }
        let now = ContinuousClock.now
        var unresolved: [(Int, UInt64, Int64)] = []
        storeLock.withLock {
            let batchStage = timeline.stage(atOffset: batch.receivedAtNanoseconds - start)
            store.receivedByStage[batchStage] += batch.outOfOrder + batch.deadLettered
            store.outOfOrderByStage[batchStage] += batch.outOfOrder
            store.distinctByStage[batchStage] += batch.outOfOrder
            store.duplicatesByStage[batchStage] += batch.duplicates
            let arrivals = batch.readings.count + batch.outOfOrder + batch.deadLettered
            store.receivedTotal += arrivals
            store.storedTotal += batch.readings.count
            Self.count(&store.receivedPerSecond, at: batch.receivedAtNanoseconds - start, by: arrivals)
            Self.count(&store.storedPerSecond, at: batch.storedAtNanoseconds - start, by: batch.readings.count)
            for reading in batch.readings {
                ledger?.record(sensor: reading.sensorID, house: reading.houseID, at: now)
                guard let offset = plan.intendedOffset(sensorID: reading.sensorID, seq: reading.seq) else {
                    store.unresolved.append((reading.sensorID, reading.seq, reading.sentAtNanoseconds, batch.receivedAtNanoseconds, batch.storedAtNanoseconds))
                    unresolved.append((reading.sensorID, reading.seq, reading.sentAtNanoseconds))
                    continue
                }
                account(reading.sensorID, reading.seq, intended: start + offset, sentAt: reading.sentAtNanoseconds,
                        receivedAt: batch.receivedAtNanoseconds, storedAt: batch.storedAtNanoseconds, start: start)
            }
        }
        if !unresolved.isEmpty { settleUnresolved(start: start) }
    }

    /// Counts one stored reading in its intended stage. Call with `storeLock` held.
    private func account(_ sensor: Int, _ seq: UInt64, intended: Int64, sentAt: Int64, receivedAt: Int64, storedAt: Int64, start: Int64) {
        let stage = timeline.stage(atOffset: intended - start)
        let kind = timeline.kind(ofSensor: sensor)
        store.receivedByStage[stage] += 1
        store.storedByStage[stage] += 1
        switch store.tracker.note(sensor: sensor, seq: seq) {
        case .new: store.distinctByStage[stage] += 1
        case .outOfOrder:
            store.distinctByStage[stage] += 1
            store.outOfOrderByStage[stage] += 1
        case .duplicate: store.duplicatesByStage[stage] += 1
        }
        store.histograms.record(.sentToReceived, stage: stage, kind: kind, nanoseconds: receivedAt - sentAt)
        if storesObserved { store.histograms.record(.receivedToStored, stage: stage, kind: kind, nanoseconds: storedAt - receivedAt) }
        store.histograms.record(.endToEnd, stage: stage, kind: kind, nanoseconds: storedAt - intended)
        store.histograms.record(.endToEndUncorrected, stage: stage, kind: kind, nanoseconds: storedAt - sentAt)
        let second = Int((storedAt - start) / 1_000_000_000)
        if second != store.second {
            closeSecond()
            store.second = second
        }
        store.secondHistogram.recordLatency(nanoseconds: storedAt - intended)
    }

    /// Turns the second being filled into a timeline point. Call with `storeLock` held.
    private func closeSecond() {
        guard store.second >= 0, store.secondHistogram.totalCount > 0 else { return }
        store.points.append(LatencyPoint(t: Double(store.second), histogram: store.secondHistogram))
        store.secondHistogram = .latency()
    }

    /// Accounts event-driven readings whose intended time is now known.
    private func settleUnresolved(start: Int64) {
        let known: [UInt64: Int64] = sendLock.withLock {
            var found: [UInt64: Int64] = [:]
            storeLock.withLock {
                for entry in store.unresolved {
                    let key = Self.key(entry.sensor, entry.seq)
                    if let intended = send.pendingIntended.removeValue(forKey: key) { found[key] = intended }
                }
            }
            return found
        }
        guard !known.isEmpty else { return }
        storeLock.withLock {
            let pending = store.unresolved
            store.unresolved = []
            for entry in pending {
                if let intended = known[Self.key(entry.sensor, entry.seq)] {
                    account(entry.sensor, entry.seq, intended: intended, sentAt: entry.sentAt, receivedAt: entry.receivedAt, storedAt: entry.storedAt, start: start)
                } else {
                    store.unresolved.append(entry)
                }
            }
        }
    }

    private static func count(_ perSecond: inout [Int], at offset: Int64, by amount: Int = 1) {
        guard amount > 0 else { return }
        let second = max(0, Int(offset / 1_000_000_000))
        if second >= perSecond.count { perSecond += repeatElement(0, count: second + 1 - perSecond.count) }
        perSecond[second] += amount
    }

    // MARK: Reading it

    /// When reading `seq` of `sensor` was meant to be sent (ns since the
    /// epoch), for the alarm report; nil if unknown.
    public func intendedTime(sensor: Int, seq: UInt64) -> Int64? {
        guard let start = runStartWallNanoseconds else { return nil }
        if let offset = plan.intendedOffset(sensorID: sensor, seq: seq) { return start + offset }
        return sendLock.withLock { send.alarmIntended[Self.key(sensor, seq)] }
    }

    /// What the progress line shows: totals so far and the last full second.
    public var live: LiveFigures {
        let (sent, lag) = sendLock.withLock { (send.sentByStage.reduce(0, +), send.maxLag) }
        return storeLock.withLock {
            let last = store.points.last
            return LiveFigures(
                sent: sent, stored: store.storedTotal, received: store.receivedTotal,
                p99Milliseconds: last?.p99Ms, maxPublisherLagNanoseconds: lag
            )
        }
    }

    public struct LiveFigures: Sendable, Equatable {
        public var sent: Int
        public var stored: Int
        public var received: Int
        /// End-to-end p99 of the last full second with stored readings.
        public var p99Milliseconds: Double?
        public var maxPublisherLagNanoseconds: Int64
    }

    /// Everything recorded, settled: call after the publisher finished and
    /// the subscriber drained.
    public func finish() -> MeasuredRun {
        if let start = runStartWallNanoseconds { settleUnresolved(start: start) }
        let sendSide = sendLock.withLock { send }
        return storeLock.withLock {
            closeSecond()
            store.second = -1
            var recorder = LatencyRecorder()
            sendSide.histograms.add(to: &recorder, timeline: timeline)
            store.histograms.add(to: &recorder, timeline: timeline)
            var stages: [StageSummary] = []
            for (index, stage) in timeline.stages.enumerated() {
                let sent = sendSide.sentByStage[index]
                let distinct = store.distinctByStage[index]
                stages.append(StageSummary(
                    name: stage.name, startSeconds: Double(stage.start) / 1e9, endSeconds: Double(stage.end) / 1e9,
                    measured: stage.measured, plannedRatePerSecond: stage.plannedRate,
                    counts: MessageCounts(
                        sent: sent, received: store.receivedByStage[index], stored: store.storedByStage[index],
                        lost: max(0, sent - distinct), duplicates: store.duplicatesByStage[index], outOfOrder: store.outOfOrderByStage[index]
                    )
                ))
            }
            let seconds = max(sendSide.sentPerSecond.count, store.storedPerSecond.count, store.receivedPerSecond.count)
            let throughput = (0 ..< seconds).map { second in
                ThroughputPoint(
                    t: Double(second), sent: second < sendSide.sentPerSecond.count ? sendSide.sentPerSecond[second] : 0,
                    received: second < store.receivedPerSecond.count ? store.receivedPerSecond[second] : 0,
                    stored: second < store.storedPerSecond.count ? store.storedPerSecond[second] : 0
                )
            }
            return MeasuredRun(
                stages: stages, latency: recorder.records, latencyTimeline: store.points, throughput: throughput,
                unresolved: store.unresolved.count, maxPublisherLagNanoseconds: sendSide.maxLag, maxBacklog: sendSide.maxBacklog
            )
        }
    }
}

/// What ``RunMeasurements/finish()`` hands to the report.
public struct MeasuredRun: Sendable {
    public var stages: [StageSummary]
    public var latency: [LatencyRecord]
    public var latencyTimeline: [LatencyPoint]
    public var throughput: [ThroughputPoint]
    /// Stored readings whose intended time never became known (should be 0).
    public var unresolved: Int
    public var maxPublisherLagNanoseconds: Int64
    public var maxBacklog: Int

    /// The measured stages' counts added up (all stages when none is measured).
    public var totals: MessageCounts {
        let measured = stages.filter(\.measured)
        var total = MessageCounts()
        for stage in measured.isEmpty ? stages : measured { total.add(stage.counts) }
        return total
    }
}
