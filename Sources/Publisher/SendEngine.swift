import Fernet
import Logging
import Scenario
import SensorKit

/// One worker's sensors, keys and position in the schedule: makes, encrypts
/// and hands over every reading that is due, in due order.
///
/// It does no I/O and reads no clock of its own: the worker tells it how far
/// the run has got (`process(upTo:limit:sink:)`), and it reads the injected
/// clock only to stamp `sent_at_ns`. That keeps the open-loop logic testable
/// with a manual clock and a recording sink.
///
/// Times inside are nanoseconds from the start of the run ("offsets"). A
/// reading due at offset t is made for simulated time `wallStart + t`, so
/// the readings depend on the seed, the schedule and the events, never on
/// how late the machine got round to making them.
final class SendEngine {
    /// One of the worker's sensors, by its local index.
    struct Member: Sendable {
        var group: Int32
        /// Index inside the group.
        var local: Int32
        var sensorID: Int
        var houseID: Int
        var ownerID: Int
        /// The worker's connection index.
        var connection: Int32
        var name: Int32
        var kind: SensorKind
        /// Whether it takes part in the rate schedule (else event-driven).
        var isScheduled: Bool
    }

    /// What one call of `process` found.
    struct Outcome: Equatable, Sendable {
        /// Readings made (sent, refused or invalid) and events applied.
        var steps = 0
        /// Whether something was still due when the limit was reached.
        var moreDue = false
        /// Scheduled sends that were due and not yet made when the batch began.
        var backlog = 0
        /// How long the oldest due step had been waiting when the batch began:
        /// how far behind its schedule the worker was.
        var lag: Int64 = 0
        /// When the next step falls due, if nothing is due now.
        var nextDue: Int64?
    }

    let worker: Int
    let clock: any PublisherClock
    let logger: Logger
    private(set) var wallStart: Int64 = 0

    var groups: [any SensorGroup] = []
    /// One per group: writes that group's readings (see `ReadingEncoder`).
    var encoders: [ReadingEncoder] = []
    var members: [Member] = []
    var names: [String] = []
    /// For each member of the cursor, the local sensor index.
    var scheduledMembers: [Int] = []
    var cursor: ScheduledSendCursor
    var dueQueue: DueQueue
    /// Event-driven sensors: when their first report falls due (offsets).
    var firstPolls: [(sensor: Int, offset: Int64)] = []
    var events: [PlannedSensorEvent] = []
    var nextEvent = 0
    /// Events applied during the current batch, with how many sensors each touched.
    var appliedEvents: [(event: ScenarioEvent, sensorCount: Int)] = []
    var eventFailuresLogged: Set<String> = []

    let keyring: Keyring
    private var ciphers: [Int: MultiFernet] = [:]
    private var payload: [UInt8] = []
    var stats = PublisherStats()
    /// Readings of the current batch, kept only when an observer wants them.
    let keepsReadings: Bool
    var batch: [SentReading] = []
    /// Made and encrypted, not yet handed to the sink (see `deliverPending`).
    var pendingSends: [PendingSend] = []
    /// Whether the sink accepted each of `pendingSends` (reused between runs).
    var runAccepted: [Bool] = []
    private var invalidKindsLogged: Set<SensorKind> = []

    init(worker: Int, clock: any PublisherClock, keyring: Keyring, cursor: ScheduledSendCursor, keepsReadings: Bool, logger: Logger) {
        self.worker = worker
        self.clock = clock
        self.keyring = keyring
        self.cursor = cursor
        self.keepsReadings = keepsReadings
        self.logger = logger
        dueQueue = DueQueue(sensorCount: 0)
        payload.reserveCapacity(512)
        pendingSends.reserveCapacity(Self.deliveryRun)
        runAccepted.reserveCapacity(Self.deliveryRun)
    }

    /// Fixes the run's start on the wall clock and schedules every
    /// event-driven sensor's first report.
    func begin(wallStart: Int64) {
        self.wallStart = wallStart
        dueQueue = DueQueue(sensorCount: members.count)
        for poll in firstPolls { dueQueue.schedule(poll.sensor, at: poll.offset) }
    }

    /// Makes every step due at or before `elapsed` (nanoseconds since the
    /// start), at most `limit` of them: scenario events first, then readings,
    /// each in due order.
    func process(upTo elapsed: Int64, limit: Int, sink: some ReadingSink) -> Outcome {
        batch.removeAll(keepingCapacity: true)
        appliedEvents.removeAll(keepingCapacity: true)
        var outcome = Outcome()
        if let oldest = earliestStep(), oldest <= elapsed {
            outcome.lag = elapsed - oldest
            outcome.backlog = scheduledBacklog(at: elapsed)
        }
        while outcome.steps < limit {
            let eventDue = nextEvent < events.count ? events[nextEvent].offset : Int64.max
            let scheduledDue = cursor.next?.intendedOffset ?? .max
            let drivenDue = dueQueue.earliest() ?? .max
            let earliest = min(eventDue, scheduledDue, drivenDue)
            guard earliest <= elapsed else {
                outcome.nextDue = earliest == .max ? nil : earliest
                break
            }
            outcome.steps += 1
            if eventDue == earliest {
                apply(events[nextEvent])
                nextEvent += 1
            } else if scheduledDue == earliest, let send = cursor.next {
                let sensor = scheduledMembers[send.member]
                if !makeAndQueue(sensor, dueAt: send.intendedOffset, scheduled: true, sink: sink) { stats.silent += 1 }
                cursor.advance()
            } else if let popped = dueQueue.popDue(atOrBefore: elapsed) {
                _ = makeAndQueue(popped.sensor, dueAt: popped.due, scheduled: false, sink: sink)
                reschedule(popped.sensor, notBefore: popped.due + Self.minimumReportGap)
            }
        }
        deliverPending(to: sink)
        if outcome.steps == limit, let oldest = earliestStep() {
            outcome.moreDue = oldest <= elapsed
            outcome.nextDue = oldest
        }
        stats.backlog = outcome.backlog
        stats.lagNanoseconds = outcome.lag
        stats.maxBacklog = max(stats.maxBacklog, outcome.backlog)
        stats.maxLagNanoseconds = max(stats.maxLagNanoseconds, outcome.lag)
        return outcome
    }

    /// When the earliest step not yet made falls due: an event, a scheduled
    /// send or an event-driven sensor's report.
    private func earliestStep() -> Int64? {
        let earliest = min(
            nextEvent < events.count ? events[nextEvent].offset : .max,
            cursor.next?.intendedOffset ?? .max,
            dueQueue.earliest() ?? .max
        )
        return earliest == .max ? nil : earliest
    }

    /// Stream confirmations arrive after the batch; the worker adds them here.
    func record(_ flush: SinkFlushResult) {
        stats.streamAdded += flush.streamAdded
        stats.streamFailed += flush.streamFailed
    }

    func recordMQTTFailures(_ total: Int) {
        stats.mqttFailed = total
    }

    /// Makes sensor `sensor`'s reading for offset `due`, encrypts it and
    /// queues it for the sink (handed over in runs; see `deliverPending`).
    /// Returns false if the sensor had nothing to report.
    private func makeAndQueue(_ sensor: Int, dueAt due: Int64, scheduled: Bool, sink: some ReadingSink) -> Bool {
        let member = members[sensor]
        let group = Int(member.group)
        let identity = SensorIdentity(houseID: member.houseID, sensorID: member.sensorID, name: names[Int(member.name)])
        let intended = wallStart + due
        guard var reading = groups[group].nextReading(Int(member.local), at: Timestamp(nanosecondsSinceEpoch: intended), identity: identity) else {
            return false
        }
        let sentAt = clock.wallNanoseconds()
        reading.sentAt = Timestamp(nanosecondsSinceEpoch: sentAt)
        payload.removeAll(keepingCapacity: true)
        do {
            try encoders[group].encode(reading, into: &payload)
        } catch {
            stats.invalid += 1
            if invalidKindsLogged.insert(member.kind).inserted {
                logger.warning("a \(member.kind) plugin made a reading that fails its own declarations; such readings are counted as invalid and not sent", metadata: ["code": "\(error.code)"])
            }
            return true
        }
        let token: [UInt8]
        do {
            token = try cipher(forOwner: member.ownerID).encrypt(payload)
        } catch {
            stats.encryptionFailures += 1
            return true
        }
        pendingSends.append(PendingSend(token: token, member: sensor, seq: reading.seq, intended: intended, sentAt: sentAt, scheduled: scheduled))
        if pendingSends.count >= Self.deliveryRun { deliverPending(to: sink) }
        return true
    }

    /// After a report, an event-driven sensor is polled again no sooner than
    /// this, so that a plugin whose `nextDue` lags its `report` cannot spin
    /// the worker.
    static let minimumReportGap: Int64 = 1_000_000

    /// Puts an event-driven sensor back in the queue at its plugin's next due
    /// time, but not before `notBefore`.
    func reschedule(_ sensor: Int, notBefore: Int64) {
        let member = members[sensor]
        let due = groups[Int(member.group)].nextDue(Int(member.local)).nanosecondsSinceEpoch - wallStart
        dueQueue.schedule(sensor, at: max(due, notBefore))
    }

    /// The owner's cipher, made on first use: a worker only builds contexts
    /// for the owners whose houses it serves.
    private func cipher(forOwner owner: Int) throws -> MultiFernet {
        if let cipher = ciphers[owner] { return cipher }
        let cipher = try keyring.multiFernet(forOwner: owner)
        ciphers[owner] = cipher
        return cipher
    }

    /// This worker's scheduled sends due by `elapsed` and not yet made.
    private func scheduledBacklog(at elapsed: Int64) -> Int {
        guard let next = cursor.next, next.intendedOffset <= elapsed, cursor.period > 0 else { return 0 }
        let dueByNow = min(cursor.schedule.expectedCount(at: Double(elapsed) / 1e9), Double(cursor.schedule.sendCount))
        let unsent = max(1, Int(dueByNow.rounded(.up)) - next.number)
        return max(1, unsent * cursor.members.count / cursor.period)
    }
}
