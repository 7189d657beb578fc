import BlockingIO
import Logging
import Postgres
import SensorKit

/// Copies accepted readings into the `readings` table (the optional
/// history), in batches: every `interval` or every `flushRows` rows,
/// whichever comes first, with one COPY each.
///
/// Rows hold the Fernet token as received, so history is encrypted at rest.
/// While PostgreSQL is away rows accumulate up to `bufferLimit`; beyond it the
/// oldest are dropped and counted (`historyDropped`): history is a record for
/// later analysis, and unlike alarms it must not hold up the live path.
///
/// An actor on its own thread: as a default actor it would be drained on
/// the executor of whoever called it first, and the MQTT consumer runs on
/// the Redis connection's thread (``Subscriber``), so building a COPY could
/// have held up the consumer's next batch.
actor HistoryWriter {
    private nonisolated let executor = ThreadExecutor(name: "history")
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    static let columns = ["house_id", "sensor_id", "seq", "kind", "occurred_at", "received_at", "token"]

    /// Shared with the consumer, which appends without calling the actor.
    private nonisolated let queue: HistoryQueue
    private let pool: PostgresPool
    private let statistics: SubscriberStatistics
    private let logger: Logger
    private let interval: Duration
    private var databaseDown = false
    private var copying = false

    init(pool: PostgresPool, statistics: SubscriberStatistics, interval: Duration, flushRows: Int, bufferLimit: Int, logger: Logger) {
        self.pool = pool
        self.statistics = statistics
        self.interval = interval
        queue = HistoryQueue(flushRows: flushRows, limit: bufferLimit)
        self.logger = logger
    }

    isolated deinit { executor.shutdown() }

    /// Queues rows; wakes the writer early when a full batch is waiting.
    /// Nonisolated, so the consumer does not leave its thread for it.
    nonisolated func append(_ newRows: [[String?]]) {
        let dropped = queue.append(newRows)
        if dropped > 0 { statistics.update { $0.historyDropped += dropped } }
    }

    /// Copies every `interval` (or sooner, see ``append(_:)``) until cancelled.
    func run() async {
        while !Task.isCancelled {
            await sleepOrWake()
            await copyPending()
        }
    }

    /// Copies what is queued, retrying until `timeout`; for shutdown.
    /// Returns the rows that could not be written.
    func flush(timeout: Duration) async -> Int {
        let deadline = ContinuousClock.now + timeout
        while queue.count > 0, ContinuousClock.now < deadline {
            if await !copyPending() { try? await Task.sleep(for: .milliseconds(200)) }
        }
        return queue.count
    }

    /// One COPY of up to `flushRows` rows at a time; false if PostgreSQL failed.
    @discardableResult
    private func copyPending() async -> Bool {
        guard !copying else { return false }
        copying = true
        defer { copying = false }
        while case let batch = queue.front(queue.flushRows), !batch.isEmpty {
            do {
                _ = try await pool.withConnection { connection in
                    try await connection.copyIn(table: "readings", columns: Self.columns, rows: batch)
                }
            } catch let error as PostgresError where error.sqlState == "23503" {
                // A sensor was deleted since its readings were accepted: its
                // rows can never be stored, and COPY is all or nothing.
                logger.notice("history rows of a deleted sensor skipped", metadata: ["rows": "\(batch.count)"])
                try? await copyRowsOfExistingSensors(batch)
            } catch {
                if !databaseDown {
                    databaseDown = true
                    logger.warning("cannot copy history to PostgreSQL; buffering", metadata: ["error": "\(error)"])
                }
                return false
            }
            queue.removeFront(batch.count)
            statistics.update { $0.historyRows += batch.count }
        }
        if databaseDown {
            databaseDown = false
            logger.notice("PostgreSQL is back; buffered history written")
        }
        return true
    }

    /// Copies only the rows whose sensor still exists (one lookup per sensor in the batch).
    private func copyRowsOfExistingSensors(_ batch: [[String?]]) async throws {
        let sensorIDs = Set(batch.compactMap { $0[1].flatMap { Int($0) } })
        try await pool.withConnection { connection in
            var existing = Set<Int>()
            for id in sensorIDs where try await !connection.query("SELECT 1 FROM sensors WHERE id = \(id)").isEmpty {
                existing.insert(id)
            }
            let kept = batch.filter { $0[1].flatMap { Int($0) }.map(existing.contains) ?? false }
            try await connection.copyIn(table: "readings", columns: Self.columns, rows: kept)
        }
    }

    private func sleepOrWake() async {
        let queue = queue
        if queue.count >= queue.flushRows { return }
        let interval = interval
        let timer = Task {
            try? await Task.sleep(for: interval)
            queue.wakeUp()
        }
        await withTaskCancellationHandler {
            await queue.waitForBatch(cancelled: { Task.isCancelled })
        } onCancel: {
            queue.wakeUp()
        }
        timer.cancel()
    }
}

extension HistoryWriter {
    /// The history row of an accepted reading, in COPY's text form.
    static func row(_ reading: AcceptedReading, token: ArraySlice<UInt8>, receivedAt: Timestamp) -> [String?] {
        [
            String(reading.address.houseID), String(reading.address.sensorID), String(reading.seq), reading.kind.rawValue,
            reading.occurredAt.rfc3339, receivedAt.rfc3339, String(decoding: token, as: UTF8.self),
        ]
    }
}
