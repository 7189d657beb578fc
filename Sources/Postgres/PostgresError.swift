/// Everything that can go wrong talking to PostgreSQL, as one error type.
///
/// Shaped like postgres-nio's `PSQLError` and service-lifecycle's
/// `ServiceGroupError`: a struct whose `Code` can grow without breaking anyone
/// who switches over it, the server's own diagnostics (SQLSTATE, message,
/// detail, hint) when the server sent them, and a one-line `description` that
/// says what went wrong and what to do about it.
///
/// Parameters are never part of an error: this module does not see them once
/// they are bound. The server's `detail` can echo row values (for example
/// `Key (email)=(…) already exists`), so it is kept in its own field and in
/// `debugDescription`, but left out of the one-line `description` that ends up
/// in logs.
public struct PostgresError: Error, Sendable {
    /// What kind of failure this is. New codes may be added; switch with a `default`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case connectionFailed
            case connectionClosed
            case serverError
            case decoding
            case invalidQuery
            case transactionRolledBack
            case copyFailed
            case unexpectedResult
            case poolClosed
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The connection could not be established (bad URL, server down, authentication failed).
        public static let connectionFailed = Code(.connectionFailed)
        /// The connection was closed by `close()` or lost while in use.
        public static let connectionClosed = Code(.connectionClosed)
        /// The server rejected a statement; `sqlState` says why.
        public static let serverError = Code(.serverError)
        /// A column's value could not be turned into the requested Swift type.
        public static let decoding = Code(.decoding)
        /// The statement or its values cannot be sent as they are (for example a NUL byte in text).
        public static let invalidQuery = Code(.invalidQuery)
        /// COMMIT found the transaction already aborted by an earlier failed statement.
        public static let transactionRolledBack = Code(.transactionRolledBack)
        /// A COPY FROM STDIN was aborted on the client side (for example a row with the wrong width).
        public static let copyFailed = Code(.copyFailed)
        /// libpq returned a result this client did not ask for (a protocol mix-up).
        public static let unexpectedResult = Code(.unexpectedResult)
        /// The pool was closed while a task was waiting for, or asking for, a connection.
        public static let poolClosed = Code(.poolClosed)

        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// What this client was doing and what went wrong, in its own words.
    public var message: String
    /// What to do about it; derived from the code and SQLSTATE when not given.
    public var advice: String?
    /// The five-character SQLSTATE (`PG_DIAG_SQLSTATE`), e.g. `23505` for a unique violation.
    public var sqlState: String?
    /// The server's primary message (`PG_DIAG_MESSAGE_PRIMARY`).
    public var serverMessage: String?
    /// The server's detail line (`PG_DIAG_MESSAGE_DETAIL`); may contain row values.
    public var detail: String?
    /// The server's hint (`PG_DIAG_MESSAGE_HINT`).
    public var hint: String?
    /// The constraint the server named, if any (`PG_DIAG_CONSTRAINT_NAME`).
    public var constraintName: String?
    /// The raw libpq status behind the failure, e.g. `PGRES_FATAL_ERROR` or `CONNECTION_BAD`.
    public var libpqStatus: String?
    /// The SQL text that failed (never its parameters).
    public var query: String?

    public init(
        code: Code,
        message: String,
        advice: String? = nil,
        sqlState: String? = nil,
        serverMessage: String? = nil,
        detail: String? = nil,
        hint: String? = nil,
        constraintName: String? = nil,
        libpqStatus: String? = nil,
        query: String? = nil
    ) {
        self.code = code
        self.message = message
        self.advice = advice
        self.sqlState = sqlState
        self.serverMessage = serverMessage
        self.detail = detail
        self.hint = hint
        self.constraintName = constraintName
        self.libpqStatus = libpqStatus
        self.query = query
    }
}

extension PostgresError: CustomStringConvertible, CustomDebugStringConvertible {
    /// One line: what went wrong, then what to do.
    public var description: String {
        var line = "PostgreSQL \(code)"
        if let sqlState { line += " \(sqlState)" }
        line += ": \(message)"
        if let serverMessage, !message.contains(serverMessage) { line += ": \(serverMessage)" }
        if let todo = hint ?? advice ?? Self.advice(code: code, sqlState: sqlState) {
            line += " — \(todo)"
        }
        return line
    }

    /// Everything known, including the server's detail and the SQL text; for debugging, not for logs.
    public var debugDescription: String {
        var parts = [description]
        if let detail { parts.append("detail: \(detail)") }
        if let constraintName { parts.append("constraint: \(constraintName)") }
        if let libpqStatus { parts.append("libpq: \(libpqStatus)") }
        if let query { parts.append("query: \(query)") }
        return parts.joined(separator: "; ")
    }
}

extension PostgresError {
    /// Whether retrying the whole transaction may succeed: serialization
    /// failures and deadlocks (class 40) and lost connections.
    public var isTransient: Bool {
        code == .connectionClosed || sqlState?.hasPrefix("40") == true
    }

    static func decoding(_ message: String) -> PostgresError {
        PostgresError(code: .decoding, message: message)
    }

    static func invalidQuery(_ message: String, advice: String, query: String? = nil) -> PostgresError {
        PostgresError(code: .invalidQuery, message: message, advice: advice, query: query)
    }
}
