internal import BlockingIO
internal import CLibPQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One connection to a PostgreSQL server, over libpq.
///
/// libpq blocks the calling thread in `read(2)`, and a blocking call must
/// never run on Swift's cooperative pool (on two cores that pool has two
/// threads). So this actor runs on its own `ThreadExecutor`: every method
/// executes on the connection's dedicated thread and calls libpq directly,
/// while callers simply `await` it.
///
/// A connection runs one statement at a time. Share it between tasks only for
/// independent statements; a transaction or COPY needs the connection to
/// itself, which is what `PostgresPool` hands out.
///
/// ```swift
/// let connection = try await PostgresConnection.connect(url: "postgres://postgres@127.0.0.1:5432/postgres")
/// let rows = try await connection.query("SELECT name FROM houses WHERE id = \(houseID)")
/// let name = try rows.first?.decode(String.self, column: "name")
/// ```
public actor PostgresConnection {
    private let executor: ThreadExecutor
    /// How long `open` waits for the server.
    private let connectTimeout: Duration
    /// The libpq connection; nil once closed.
    var handle: OpaquePointer?
    /// Prepared statements this session holds, by SQL text and parameter types.
    var statements = PreparedStatementCache()

    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    private init(connectTimeout: Duration) {
        self.executor = ThreadExecutor(name: "postgres")
        self.connectTimeout = connectTimeout
    }

    /// Connects to the server at `url`, a libpq connection URI
    /// (`postgres://user:password@host:port/database?sslmode=disable`) or a
    /// `key=value` connection string.
    ///
    /// - Parameter connectTimeout: how long to wait for the server, rounded up
    ///   to whole seconds (libpq's resolution; a `connect_timeout` in the URL wins).
    public static func connect(url: String, connectTimeout: Duration = .seconds(10)) async throws -> PostgresConnection {
        let connection = PostgresConnection(connectTimeout: connectTimeout)
        try await connection.open(url: url)
        return connection
    }

    /// Runs on the connection's own thread, after every queued call, so
    /// `PQfinish` never races a statement and never blocks the caller.
    isolated deinit {
        if let handle { PQfinish(handle) }
        executor.shutdown()
    }

    private func open(url: String) throws {
        let seconds = max(1, connectTimeout.secondsRoundedUp)
        // Later keywords override earlier ones, and `dbname` expands into the
        // URL's own parameters: so the URL may override the timeout and the
        // application name, but the client encoding stays UTF-8 because Swift
        // strings are UTF-8.
        let parameters: [(String, String)] = [
            ("connect_timeout", String(seconds)),
            ("fallback_application_name", "hearth"),
            ("dbname", url),
            ("client_encoding", "UTF8"),
        ]
        let connection = withCStringArrays(parameters) { keywords, values in
            PQconnectdbParams(keywords, values, 1)
        }
        guard let connection else {
            throw PostgresError(code: .connectionFailed, message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let reason = libpqMessage(PQerrorMessage(connection)) ?? "no reason given"
            PQfinish(connection)
            throw PostgresError(
                code: .connectionFailed,
                message: "could not connect to PostgreSQL: \(reason)",
                libpqStatus: "CONNECTION_BAD"
            )
        }
        try Self.configureSession(connection)
        handle = connection
    }

    /// Settles what this client relies on in every session: ISO dates (the
    /// only form `Date` decoding reads) and no notices on stderr (libpq's
    /// default prints every `NOTICE`, e.g. from `CREATE TABLE IF NOT EXISTS`).
    private static func configureSession(_ connection: OpaquePointer) throws {
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        let dateStyle = PQparameterStatus(connection, "DateStyle").map { String(cString: $0) } ?? ""
        if !dateStyle.hasPrefix("ISO") {
            try libpq(connection, query: "SET DateStyle TO ISO") { PQexec(connection, "SET DateStyle TO ISO") }
        }
    }

    /// Closes the connection. Later calls fail with `.connectionClosed`.
    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
        statements.removeAll()
    }

    /// Whether the connection is open and libpq has not seen it fail.
    /// libpq notices a dead server only when it next talks to it, so `true`
    /// does not promise the next statement will succeed.
    public var isUsable: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Whether a transaction is open (or failed and not yet rolled back).
    public var isInTransaction: Bool {
        guard let handle else { return false }
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    /// Reconnects a broken connection with the same parameters (`PQreset`).
    /// The new session starts without prepared statements or open transaction.
    public func reset() throws {
        guard let handle else {
            throw PostgresError(code: .connectionClosed, message: "the connection was closed and cannot be reset")
        }
        statements.removeAll()
        PQreset(handle)
        guard PQstatus(handle) == CONNECTION_OK else {
            let reason = libpqMessage(PQerrorMessage(handle)) ?? "no reason given"
            throw PostgresError(
                code: .connectionFailed,
                message: "could not reconnect to PostgreSQL: \(reason)",
                libpqStatus: "CONNECTION_BAD"
            )
        }
        try Self.configureSession(handle)
    }

    /// The live libpq connection, or the error that explains why there is none.
    func connectedHandle() throws -> OpaquePointer {
        guard let handle else {
            throw PostgresError(code: .connectionClosed, message: "the connection was closed")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            throw PostgresError(
                code: .connectionClosed,
                message: "the connection to the server was lost",
                libpqStatus: "CONNECTION_BAD"
            )
        }
        return handle
    }
}

/// Calls `body` with NULL-terminated C arrays of the keys and values, as `PQconnectdbParams` wants them.
private func withCStringArrays<R>(
    _ pairs: [(String, String)],
    _ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<UnsafePointer<CChar>?>) -> R
) -> R {
    let keys = pairs.map { UnsafePointer(strdup($0.0)) } + [nil]
    let values = pairs.map { UnsafePointer(strdup($0.1)) } + [nil]
    defer {
        for pointer in keys + values { free(UnsafeMutablePointer(mutating: pointer)) }
    }
    return body(keys, values)
}
