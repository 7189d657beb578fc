import API
import ArgumentParser
import Foundation
import Logging
import Postgres
import Schema
import ServiceLifecycle
import Stack

/// `hearth serve`: the HTTP API (users, houses, members, appliances,
/// sensors, latest data, alarms) on Hummingbird.
///
/// With no server flags it starts the embedded stack, like every other
/// command. Secrets come from the environment or the keys directory, never
/// from flags (which `ps` shows to everyone): `HEARTH_JWT_SECRET` or
/// `<keys>/jwt-hs256.key` signs tokens; `HEARTH_ADMIN_EMAIL` and
/// `HEARTH_ADMIN_PASSWORD` create the first administrator, or a random
/// password is generated and printed once.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP API (JWT and Basic auth, roles, latest sensor data, alarms, /metrics, /openapi.json)."
    )

    @OptionGroup var servers: ServerOptions
    @OptionGroup var stackOptions: EmbeddedStackOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port, printed at start).")
    var port = 8080

    @Option(help: "Lifetime of tokens from /auth/token, in seconds.")
    var tokenLifetime = 3600

    @Option(help: "Mark readings stale after this many seconds (default: 3 × each kind's reporting interval).")
    var staleAfter: Double?

    @Option(help: "bcrypt cost for new password hashes (4-31).")
    var bcryptCost = 12

    @Option(help: "PostgreSQL connections in the API's pool.")
    var poolSize = 8

    @Option(help: "Seconds that /houses/{id}/data may reuse a caller's access, the house's key owner and its sensors (0: ask PostgreSQL on every request). Changes through the API count at once; changes made elsewhere count within this time.")
    var accessCacheSeconds = 1.0

    @Flag(help: "Load the original system's example estate (user 1 owns houses 1 and 5) if it is not there.")
    var seedExample = false

    @Flag(help: "Print the OpenAPI document and exit.")
    var printOpenapi = false

    func validate() throws {
        guard (4 ... 31).contains(bcryptCost) else { throw ValidationError("--bcrypt-cost must be between 4 and 31") }
        guard (0 ... 65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard tokenLifetime > 0 else { throw ValidationError("--token-lifetime must be positive") }
        guard staleAfter.map({ $0 > 0 }) ?? true else { throw ValidationError("--stale-after must be positive") }
        guard poolSize > 0 else { throw ValidationError("--pool-size must be positive") }
        guard accessCacheSeconds >= 0, accessCacheSeconds <= 3600 else {
            throw ValidationError("--access-cache-seconds must be between 0 and 3600")
        }
    }

    func run() async throws {
        if printOpenapi {
            FileHandle.standardOutput.write(Data(HearthAPI.openAPIDocument))
            return
        }
        let environment = ProcessInfo.processInfo.environment
        let configuration = try apiConfiguration(environment)
        let logger = Logger.hearth(label: "hearth.serve")
        let secret = try withSecretErrors {
            try JWTSecret.resolve(environmentValue: environment["HEARTH_JWT_SECRET"], keysDirectory: servers.keyDirectory)
        }
        let resolved = try await withCLIErrors { try await servers.resolve(stack: stackOptions.configuration(), logger: logger) }
        let services: APIServices
        do {
            let endpoints = resolved.endpoints
            if seedExample { try await seed(endpoints.postgres!) }
            services = try await APIServices.start(
                configuration: configuration,
                servers: APIServers(postgres: endpoints.postgres!, redis: endpoints.redis!, mqtt: endpoints.mqtt, keysDirectory: servers.keyDirectory),
                jwtSecret: secret,
                logger: logger
            )
        } catch {
            await resolved.stack?.stop()
            printError("cannot start the API: \(error)")
            throw ExitCode.runtimeError
        }
        services.bootstrapGlobalMetrics()
        services.adminBootstrap.announce()
        let host = host
        let application = HearthAPI.application(services: services, logger: logger) { port in
            print("hearth API listening on http://\(host):\(port) (OpenAPI at /openapi.json)")
            print("live dashboard: http://\(host):\(port)/dashboard/ (log in with an API account)")
            fflush(nil)
        }
        var group: [any Service] = []
        if let stack = resolved.stack { group.append(stack) }
        group.append(application)
        try await ServiceGroup(configuration: .init(
            services: group, gracefulShutdownSignals: [.sigint, .sigterm], logger: logger
        )).run()
    }

    private func apiConfiguration(_ environment: [String: String]) throws -> APIConfiguration {
        let initialAdmin = try InitialAdmin.fromEnvironment(environment)
        return APIConfiguration(
            host: host,
            port: port,
            tokenLifetime: .seconds(tokenLifetime),
            staleAfter: staleAfter.map { .milliseconds(Int64($0 * 1000)) },
            bcryptCost: UInt8(bcryptCost),
            postgresPoolSize: poolSize,
            accessCacheLifetime: .milliseconds(Int64((accessCacheSeconds * 1000).rounded())),
            initialAdmin: initialAdmin
        )
    }

    private func seed(_ url: String) async throws {
        let connection = try await PostgresConnection.connect(url: url)
        do {
            try await Schema.migrate(connection)
            try await Schema.seedExample(connection)
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
    }

    private func withSecretErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            printError("\(error)")
            throw ExitCode.badInput
        }
    }
}
