import BlockingIO
import Logging
import MQTT
import Postgres

/// Where alarm transitions go: announced at once on MQTT `houses/{h}/alarms`,
/// written ahead to the disk ``AlarmSpool``, then inserted into PostgreSQL's
/// `alarms` table, in order, exactly once (`ON CONFLICT DO NOTHING` on the
/// table's unique key).
///
/// While PostgreSQL is away the transitions wait in the spool and the writer
/// retries with back-off; a restarted subscriber finds them in the spool and
/// carries on. The spool is bounded: when it holds `limit` transitions,
/// ``submit(_:)`` waits until the database takes some, so a long outage slows
/// the subscriber rather than lose an alarm.
///
/// An actor on its own thread, because `fsync` blocks and must stay off the
/// cooperative pool.
actor AlarmSink {
    private nonisolated let executor = ThreadExecutor(name: "alarm-sink")
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private let spool: AlarmSpool
    /// The spool's transitions not yet confirmed in PostgreSQL, oldest first.
    private var pending: [AlarmTransition]
    private let pool: PostgresPool
    private let announcer: MQTTClient?
    private let statistics: SubscriberStatistics
    private let logger: Logger
    private let limit: Int
    private var wake: CheckedContinuation<Void, Never>?
    private var roomWaiters: [CheckedContinuation<Void, Never>] = []
    private var databaseDown = false
    /// Set while a drain awaits PostgreSQL, so that `run` and `flush` never
    /// drain at once (both would remove the same chunk from `pending`).
    private var draining = false
    /// Transitions per PostgreSQL transaction when draining.
    private let chunkSize = 200

    init(spool: AlarmSpool, pool: PostgresPool, announcer: MQTTClient?, statistics: SubscriberStatistics, limit: Int, logger: Logger) throws {
        self.spool = spool
        self.pending = try spool.readAll()
        self.pool = pool
        self.announcer = announcer
        self.statistics = statistics
        self.limit = max(1, limit)
        self.logger = logger
        let waiting = pending.count
        statistics.update { $0.alarmsSpooled = waiting }
        if waiting > 0 { logger.notice("alarm spool holds transitions from an earlier run; writing them first", metadata: ["count": "\(waiting)"]) }
    }

    isolated deinit { executor.shutdown() }

    /// Announces the transitions, puts them on disk, and wakes the writer.
    /// Returns once they are durable; waits first if the spool is full.
    func submit(_ transitions: [AlarmTransition]) async throws {
        guard !transitions.isEmpty else { return }
        announce(transitions)
        while spool.count >= limit {
            await withCheckedContinuation { roomWaiters.append($0) }
        }
        try spool.append(transitions)
        pending += transitions
        let waiting = pending.count
        statistics.update { $0.alarmsSpooled = waiting }
        wake?.resume()
        wake = nil
    }

    /// Writes until cancelled: whenever there is something to write, and
    /// once a second as long as PostgreSQL refuses it.
    func run() async {
        var backoff = RetryBackoff(initial: .milliseconds(100), maximum: .seconds(1))
        while !Task.isCancelled {
            if pending.isEmpty {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { continuation in
                        if Task.isCancelled || !pending.isEmpty { continuation.resume() } else { wake = continuation }
                    }
                } onCancel: {
                    Task { await self.wakeUp() }
                }
                continue
            }
            if await drain() {
                backoff = RetryBackoff(initial: .milliseconds(100), maximum: .seconds(1))
            } else {
                try? await backoff.wait()
            }
        }
    }

    /// Tries until everything is written or `timeout` passes; for shutdown.
    /// What is left stays in the spool for the next start.
    func flush(timeout: Duration) async -> Int {
        let deadline = ContinuousClock.now + timeout
        while !pending.isEmpty, ContinuousClock.now < deadline {
            if await !drain() { try? await Task.sleep(for: .milliseconds(200)) }
        }
        return pending.count
    }

    private func wakeUp() {
        wake?.resume()
        wake = nil
    }

    /// One pass over what is pending, a chunk per transaction. Returns false
    /// if PostgreSQL failed (the rest stays pending, in order).
    private func drain() async -> Bool {
        guard !draining else { return false }
        draining = true
        defer { draining = false }
        while !pending.isEmpty {
            let chunk = Array(pending.prefix(chunkSize))
            do {
                try await insert(chunk)
            } catch {
                if !databaseDown {
                    databaseDown = true
                    logger.warning("cannot write alarms to PostgreSQL; they wait in the spool", metadata: [
                        "error": "\(error)", "spool": "\(spool.path)", "waiting": "\(pending.count)",
                    ])
                }
                return false
            }
            pending.removeFirst(chunk.count)
            let waiting = pending.count
            statistics.update {
                $0.alarmsWritten += chunk.count
                $0.alarmsSpooled = waiting
            }
        }
        if databaseDown {
            databaseDown = false
            logger.notice("PostgreSQL is back; spooled alarms written")
        }
        do {
            try spool.clear()
        } catch {
            logger.error("cannot empty the alarm spool; its transitions will be written again (harmlessly) on restart", metadata: ["error": "\(error)"])
        }
        for waiter in roomWaiters { waiter.resume() }
        roomWaiters.removeAll()
        return true
    }

    /// Inserts a chunk in one transaction. A transition whose sensor has
    /// been deleted meanwhile is skipped rather than blocking the spool.
    private func insert(_ chunk: [AlarmTransition]) async throws {
        try await pool.withConnection { connection in
            try await connection.withTransaction { tx in
                for t in chunk {
                    try await tx.execute("""
                        INSERT INTO alarms (house_id, sensor_id, kind, alarm, state, seq, occurred_at)
                        SELECT \(t.houseID), \(t.sensorID), \(t.kind.rawValue), \(t.alarm), \(t.state.rawValue), \(t.seq),
                               \(t.occurredAt.rfc3339)::timestamptz
                        WHERE EXISTS (SELECT 1 FROM sensors WHERE id = \(t.sensorID) AND house_id = \(t.houseID))
                        ON CONFLICT (sensor_id, alarm, seq, state, occurred_at) DO NOTHING
                        """)
                }
            }
        }
    }

    /// QoS 1 without waiting: libmosquitto queues it while the broker is
    /// away. The announcement is for live dashboards; the table is the record.
    private func announce(_ transitions: [AlarmTransition]) {
        guard let announcer else { return }
        for transition in transitions {
            do {
                try announcer.publishWithoutWaiting(topic: transition.topic, payload: transition.json, qos: .atLeastOnce)
            } catch {
                logger.warning("cannot announce an alarm on MQTT", metadata: ["topic": "\(transition.topic)", "error": "\(error)"])
            }
        }
    }
}

extension AlarmSink {
    /// What waits in the spool, oldest first (read at start-up to know which alarms are active).
    var spooledTransitions: [AlarmTransition] { pending }
}
