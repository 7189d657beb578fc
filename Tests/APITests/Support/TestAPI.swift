@testable import API
import Foundation
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Postgres
import Redis
import Schema
import Testing

/// One test's API: its own database (seeded with the original system's
/// example estate unless asked otherwise), Redis database, keys folder and
/// signing secret, driven in-process through Hummingbird's router test
/// client. Everything is torn down when the test's closure returns.
struct TestAPI: Sendable {
    /// The password every seeded user is given, so tests can log in as them.
    static let password = "correct horse battery"
    /// Cost 4 keeps the suite fast; production uses 12.
    static let passwordHash = Bcrypt.hash(password, cost: 4)

    let client: any TestClientProtocol
    let services: APIServices
    let keysDirectory: String
    let redis: RedisConnection
    /// The test's own database and Redis database, for servers that work
    /// beside the API (a subscriber, a publisher seeding its estate).
    let postgresURL: String
    let redisURL: String
    /// The port of a `live: true` API (a real HTTP server, for a browser).
    let port: Int?

    /// Seeded users of ``Schema/seedExample(_:)``.
    enum Seeded {
        static let alice = 1, bob = 2, carol = 3, dana = 4
    }

    /// Non-generic on purpose: a closure made only of `#expect`s is then
    /// typed from this signature as throwing; a generic result would make
    /// Swift infer it from the body, where macro-expanded `try`s do not count.
    static func run(
        seed: Bool = true,
        mqtt: String? = nil,
        redis: String? = nil,
        live: Bool = false,
        runProgress: RunProgressFeed? = nil,
        beforeStart: @Sendable (_ postgresURL: String) async throws -> Void = { _ in },
        configure: @Sendable (inout APIConfiguration) -> Void = { _ in },
        _ body: @Sendable (TestAPI) async throws -> Void
    ) async throws {
        let servers = try #require(TestServers.current, "API tests must run inside APITests (the embedded servers trait)")
        let database = try await servers.makeDatabase()
        let redisDatabase = await servers.redisDatabases.acquire()
        let redisURL = redis ?? servers.redisURL(database: redisDatabase)
        let keysDirectory = try makeKeysDirectory()
        defer { try? FileManager.default.removeItem(atPath: keysDirectory) }
        do {
            let redis = try await RedisConnection.connect(url: redisURL)
            _ = try await redis.command("FLUSHDB")
            if seed { try await seedExample(database.url) }
            try await beforeStart(database.url)
            var configuration = APIConfiguration(port: 0, bcryptCost: 4, postgresPoolSize: 3)
            configure(&configuration)
            let services = try await APIServices.start(
                configuration: configuration,
                servers: APIServers(postgres: database.url, redis: redisURL,
                                    mqtt: mqtt ?? servers.mqttURL, keysDirectory: keysDirectory),
                jwtSecret: randomSecret(),
                runProgress: runProgress
            )
            let application = HearthAPI.application(services: services)
            try await application.test(live ? .live : .router) { client in
                try await body(TestAPI(client: client, services: services, keysDirectory: keysDirectory, redis: redis,
                                       postgresURL: database.url, redisURL: redisURL, port: client.port))
            }
            await redis.close()
            await servers.dropDatabase(database.name)
            await servers.redisDatabases.release(redisDatabase)
        } catch {
            await servers.dropDatabase(database.name)
            await servers.redisDatabases.release(redisDatabase)
            throw error
        }
    }

    private static func seedExample(_ url: String) async throws {
        let connection = try await PostgresConnection.connect(url: url)
        try await Schema.seedExample(connection)
        try await connection.execute("UPDATE users SET password_hash = \(passwordHash)")
        await connection.close()
    }

    private static func makeKeysDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-api-keys-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return path
    }

    static func randomSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0 ..< 32).map { _ in UInt8.random(in: 0 ... 255, using: &generator) }
    }
}

/// How a test request identifies itself.
enum Credential: Sendable {
    case none
    /// A token issued for a user by the API's own signer, with their stored role.
    case user(Int)
    case bearer(String)
    case basic(email: String, password: String)
    /// A raw `Authorization` header value.
    case header(String)
}

/// A response, with its body parsed as JSON where it is JSON.
struct Reply: Sendable, CustomStringConvertible {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: JSONValue { JSONValue(parsing: body) }
    var description: String { "\(status.code) \(text)" }

    /// `error.code`, `error.field` of an error body.
    var errorCode: String? { json["error"]["code"].string }
    var errorField: String? { json["error"]["field"].string }
}

extension TestAPI {
    @discardableResult
    func send(_ method: HTTPRequest.Method, _ path: String, as credential: Credential = .none, json: String? = nil,
              headers: HTTPFields = [:]) async throws -> Reply {
        var headers = headers
        switch credential {
        case .none: break
        case .user(let id): headers[.authorization] = "Bearer \(try await token(for: id))"
        case .bearer(let token): headers[.authorization] = "Bearer \(token)"
        case .basic(let email, let password):
            headers[.authorization] = "Basic \(Data("\(email):\(password)".utf8).base64EncodedString())"
        case .header(let value): headers[.authorization] = value
        }
        if json != nil && headers[.contentType] == nil { headers[.contentType] = "application/json" }
        let response = try await client.executeRequest(
            uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }
        )
        return Reply(status: response.status, headers: response.headers, body: Array(buffer: response.body))
    }

    /// A valid token for a user, with the role the database holds for them.
    func token(for userID: Int) async throws -> String {
        let role = try await services.withDatabase { db in
            try await db.query("SELECT role FROM users WHERE id = \(userID)").first?.decode(String.self, column: 0)
        }
        return try await services.tokens.issue(for: Principal(userID: userID, role: UserRole(rawValue: role ?? "user") ?? .user)).accessToken
    }

    /// One value of a one-row query, for checking what the database holds.
    func scalar<T: PostgresDecodable & Sendable>(_ type: T.Type, _ query: PostgresQuery) async throws -> T? {
        try await services.withDatabase { try await $0.query(query).first?.decode(T.self, column: 0) }
    }

    func execute(_ query: PostgresQuery) async throws {
        try await services.withDatabase { try await $0.execute(query) }
    }
}
