import ServerURL

/// Where and how a `RedisConnection` connects: built from a
/// `redis://[:password@]host[:port][/db]` URL, as every hearth command takes it.
public struct RedisConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var password: String?
    public var database: Int
    /// For the TCP connect.
    public var connectTimeoutSeconds: Double
    /// For each reply; a stalled server fails a command rather than hanging it.
    public var commandTimeoutSeconds: Double

    public init(host: String = "127.0.0.1", port: Int = 6379, password: String? = nil, database: Int = 0,
                connectTimeoutSeconds: Double = 5, commandTimeoutSeconds: Double = 30) {
        self.host = host
        self.port = port
        self.password = password
        self.database = database
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.commandTimeoutSeconds = commandTimeoutSeconds
    }

    public init(url: String) throws {
        let parsed: ServerURL
        do {
            parsed = try ServerURL(url, schemes: ["redis"], defaultPort: 6379)
        } catch {
            throw RedisError(.badURL, error.message)
        }
        guard let database = parsed.path.isEmpty ? 0 : Int(parsed.path), database >= 0 else {
            throw RedisError(.badURL, "'\(url)' names database '\(parsed.path)'; use a number, as in redis://HOST:PORT/0")
        }
        self.init(host: parsed.host, port: parsed.port, password: parsed.password, database: database)
    }
}
