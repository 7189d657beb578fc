/// A fixed-size pool of `PostgresConnection`s.
///
/// Each connection owns an OS thread and a server backend, so a process wants
/// a few of them shared by many tasks, not one per task. The pool opens
/// connections lazily up to `size`, lends each to one task at a time, parks
/// further tasks in FIFO order until a connection comes back, and checks every
/// returned connection: an open transaction is rolled back, a broken one is
/// reconnected with `PQreset` or, failing that, replaced by a new connection
/// for the next task.
///
/// ```swift
/// let pool = PostgresPool(url: url, size: 4)
/// let count = try await pool.withConnection { connection in
///     try await connection.query("SELECT count(*) FROM readings").first!.decode(Int.self, column: 0)
/// }
/// await pool.close()
/// ```
public actor PostgresPool {
    /// The most connections the pool opens at once.
    public let size: Int
    /// Never printed: it may contain a password.
    private let url: String
    private let connectTimeout: Duration

    /// Connections ready to lend, most recently returned last.
    private var idle: [PostgresConnection] = []
    /// Connections that exist or are being opened, lent out or idle.
    private var openCount = 0
    private var waiters: [Waiter] = []
    private var nextWaiterID: UInt64 = 0
    private var closed = false

    /// What a parked task is woken with.
    private enum Grant {
        /// A connection handed over directly.
        case connection(PostgresConnection)
        /// Room to open a new connection; `openCount` already counts it.
        case slot
    }

    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Grant, any Error>
    }

    /// Creates a pool; no connection is opened until the first lease.
    public init(url: String, size: Int = 4, connectTimeout: Duration = .seconds(10)) {
        precondition(size > 0, "a PostgresPool needs at least one connection")
        self.url = url
        self.size = size
        self.connectTimeout = connectTimeout
    }

    /// Lends a connection to `body` and takes it back when `body` returns or
    /// throws. Do not keep the connection after `body` ends.
    public func withConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let connection = try await lease()
        let result: Result
        do {
            result = try await body(connection)
        } catch {
            await release(connection)
            throw error
        }
        await release(connection)
        return result
    }

    /// Takes a connection, waiting while all `size` are lent out. Every
    /// lease must be matched by one `release`; prefer `withConnection`.
    public func lease() async throws -> PostgresConnection {
        var hasSlot = false
        while true {
            guard !closed else { throw Self.closedError() }
            if !hasSlot, let connection = idle.popLast() { return connection }
            if !hasSlot, openCount < size {
                openCount += 1
                hasSlot = true
            }
            if hasSlot { return try await openConnection() }
            switch try await waitForGrant() {
            case .connection(let connection): return connection
            case .slot: hasSlot = true
            }
        }
    }

    /// Returns a leased connection. A connection left inside a transaction is
    /// rolled back; a broken one is reset or dropped so the next task gets a
    /// working one.
    public func release(_ connection: PostgresConnection) async {
        let reusable = await connection.prepareForReuse()
        if closed || !reusable {
            await connection.close()
            openCount -= 1
            if !closed { grantSlotToNextWaiter() }
            return
        }
        if waiters.isEmpty {
            idle.append(connection)
        } else {
            waiters.removeFirst().continuation.resume(returning: .connection(connection))
        }
    }

    /// Closes idle connections now and lent ones when they come back; tasks
    /// still waiting, and later leases, fail with `.poolClosed`.
    public func close() async {
        closed = true
        let parked = waiters
        waiters.removeAll()
        for waiter in parked { waiter.continuation.resume(throwing: Self.closedError()) }
        let connections = idle
        idle.removeAll()
        openCount -= connections.count
        for connection in connections { await connection.close() }
    }

    /// Connections open or being opened, lent out or idle.
    public var openConnections: Int { openCount }
    /// Connections ready to lend right now.
    public var idleConnections: Int { idle.count }
    /// Tasks parked until a connection comes back.
    public var waitingTasks: Int { waiters.count }

    /// Opens a connection in a slot already counted in `openCount`.
    private func openConnection() async throws -> PostgresConnection {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(url: url, connectTimeout: connectTimeout)
        } catch {
            openCount -= 1
            grantSlotToNextWaiter()
            throw error
        }
        if closed {
            await connection.close()
            openCount -= 1
            throw Self.closedError()
        }
        return connection
    }

    /// Hands a freed slot to the longest-waiting task, which then opens its own connection.
    private func grantSlotToNextWaiter() {
        guard !waiters.isEmpty, openCount < size else { return }
        openCount += 1
        waiters.removeFirst().continuation.resume(returning: .slot)
    }

    private func waitForGrant() async throws -> Grant {
        let id = nextWaiterID
        nextWaiterID += 1
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append(Waiter(id: id, continuation: continuation))
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    private static func closedError() -> PostgresError {
        PostgresError(code: .poolClosed, message: "the connection pool is closed")
    }
}
