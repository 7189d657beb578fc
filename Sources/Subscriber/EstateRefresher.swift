import BlockingIO
import Logging
import Postgres
import Schema

/// Keeps an ``EstateSnapshot`` current by polling the estate version
/// (migration 4) and reloading when it moves.
///
/// A reading for a house or sensor the snapshot lacks may simply be newer
/// than the last poll, so the pipeline asks for ``refreshIfStale()`` before
/// refusing it. That check always starts after the reading arrived (so a
/// house added a moment earlier is found), and checks are at least 50 ms
/// apart: a flood of bogus ids costs the database at most 20 version lookups
/// a second and each batch at most a 50 ms wait.
final class EstateRefresher: @unchecked Sendable {
    private let lock = Mutex()
    private var current = EstateSnapshot.empty
    private var lastCheckNanoseconds: Int64 = 0
    private let pool: PostgresPool
    private let logger: Logger
    private let pollInterval: Duration
    /// The shortest gap between two checks forced by cache misses.
    private let missCheckGapNanoseconds: Int64 = 50_000_000
    private var databaseDown = false

    init(pool: PostgresPool, pollInterval: Duration, logger: Logger) {
        self.pool = pool
        self.pollInterval = pollInterval
        self.logger = logger
    }

    var snapshot: EstateSnapshot { lock.withLock { current } }

    /// Loads the first snapshot; throws if PostgreSQL cannot be read at start-up.
    func loadInitial() async throws {
        let snapshot = try await pool.withConnection { try await EstateSnapshot.load(from: $0) }
        lock.withLock {
            current = snapshot
            lastCheckNanoseconds = WallClock.nanoseconds()
        }
    }

    /// Polls until cancelled. A database outage keeps the last snapshot.
    func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: pollInterval)
            if Task.isCancelled { return }
            await check()
        }
    }

    /// Checks the estate version (waiting first if the last check was under
    /// 50 ms ago) and reloads if it moved; returns whether a newer snapshot is in place.
    @discardableResult
    func refreshIfStale() async -> Bool {
        let wait = lock.withLock { lastCheckNanoseconds + missCheckGapNanoseconds - WallClock.nanoseconds() }
        if wait > 0 { try? await Task.sleep(for: .nanoseconds(wait)) }
        return await check()
    }

    @discardableResult
    private func check() async -> Bool {
        let known = lock.withLock {
            lastCheckNanoseconds = WallClock.nanoseconds()
            return current.version
        }
        do {
            let changed = try await pool.withConnection { connection -> EstateSnapshot? in
                guard try await Schema.estateVersion(connection) != known else { return nil }
                return try await EstateSnapshot.load(from: connection)
            }
            if setDatabaseDown(false) {
                logger.notice("PostgreSQL is back; the house and sensor cache is being checked again")
            }
            guard let changed else { return false }
            lock.withLock { current = changed }
            logger.info("house and sensor cache reloaded", metadata: [
                "estate_version": "\(changed.version)", "houses": "\(changed.owners.count)", "sensors": "\(changed.sensors.count)",
            ])
            return true
        } catch {
            if !setDatabaseDown(true) {
                logger.warning("cannot check the house and sensor cache; keeping the last one", metadata: ["error": "\(error)"])
            }
            return false
        }
    }

    /// Records whether PostgreSQL answers; returns the previous state, so
    /// each outage is logged once when it starts and once when it ends.
    private func setDatabaseDown(_ down: Bool) -> Bool {
        lock.withLock {
            defer { databaseDown = down }
            return databaseDown
        }
    }
}
