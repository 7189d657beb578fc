/// Everything about the HTTP API that a deployment may want to change.
///
/// The defaults are the production choices; tests lower `bcryptCost` (a cost
/// of 12 takes about a quarter of a second per hash, which would make a suite
/// that creates a few dozen users crawl) and shorten `tokenLifetime` to test
/// expiry.
public struct APIConfiguration: Sendable {
    /// Address to listen on. Loopback by default: exposing the API is a
    /// deliberate act (`--host 0.0.0.0`).
    public var host: String
    /// Port to listen on; 0 picks a free port.
    public var port: Int
    /// How long a JWT from `/auth/token` stays valid.
    public var tokenLifetime: Duration
    /// `/houses/{id}/data` marks a reading stale once it is older than this.
    /// Nil means three times the sensor kind's reporting interval (or
    /// heartbeat, for kinds that report on change), and `fallbackStaleAfter`
    /// for kinds this build does not know.
    public var staleAfter: Duration?
    /// The threshold for sensor kinds whose reporting interval is unknown.
    public var fallbackStaleAfter: Duration
    /// bcrypt work factor for new password hashes (4...31).
    public var bcryptCost: UInt8
    /// Page size when a list request names no `limit`.
    public var defaultPageSize: Int
    /// The largest `limit` a list request may ask for.
    public var maxPageSize: Int
    /// PostgreSQL connections the API keeps (each is a thread and a backend).
    public var postgresPoolSize: Int
    /// How long a Redis command may wait for its reply before the request
    /// fails with 503 (and the connection is opened anew). There is one
    /// Redis connection per event loop, shared by pipelining.
    public var redisTimeout: Duration
    /// How long `/houses/{id}/data` may reuse what it learnt of a caller's
    /// access to a house, its key owner and its sensors (``HouseReadCache``).
    /// Changes through this API count at once; changes made elsewhere
    /// (psql, another API process) within this time. Zero: ask PostgreSQL
    /// on every request.
    public var accessCacheLifetime: Duration
    /// The first administrator, created on first start when no administrator
    /// with a usable password exists. Nil: generate a random password for
    /// `admin@localhost` and report it once (``APIStartup/generatedAdmin``).
    public var initialAdmin: InitialAdmin?

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        tokenLifetime: Duration = .seconds(3600),
        staleAfter: Duration? = nil,
        fallbackStaleAfter: Duration = .seconds(60),
        bcryptCost: UInt8 = 12,
        defaultPageSize: Int = 50,
        maxPageSize: Int = 500,
        postgresPoolSize: Int = 8,
        redisTimeout: Duration = .seconds(2),
        accessCacheLifetime: Duration = .seconds(1),
        initialAdmin: InitialAdmin? = nil
    ) {
        precondition((4 ... 31).contains(bcryptCost), "bcrypt cost must be between 4 and 31")
        precondition(defaultPageSize >= 1 && maxPageSize >= defaultPageSize, "page sizes must be positive and ordered")
        self.host = host
        self.port = port
        self.tokenLifetime = tokenLifetime
        self.staleAfter = staleAfter
        self.fallbackStaleAfter = fallbackStaleAfter
        self.bcryptCost = bcryptCost
        self.defaultPageSize = defaultPageSize
        self.maxPageSize = maxPageSize
        self.postgresPoolSize = postgresPoolSize
        self.redisTimeout = redisTimeout
        self.accessCacheLifetime = accessCacheLifetime
        self.initialAdmin = initialAdmin
    }
}

/// The credentials of the first administrator (`HEARTH_ADMIN_EMAIL`,
/// `HEARTH_ADMIN_PASSWORD`). The password is hashed before it goes anywhere
/// and never printed.
public struct InitialAdmin: Sendable, CustomStringConvertible {
    public var email: String
    public var password: String

    public init(email: String, password: String) {
        self.email = email
        self.password = password
    }

    public var description: String { "InitialAdmin(email: \(email), password: <redacted>)" }
}
