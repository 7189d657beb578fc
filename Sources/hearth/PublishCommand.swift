import ArgumentParser
import Fernet
import Foundation
import Logging
import Postgres
import Publisher
import Scenario
import ServiceLifecycle
import Stack

/// `hearth publish --scenario FILE`: the publisher alone, as a load generator
/// for a subscriber started separately against the same servers and keys.
///
/// Everything the other side needs travels through the servers: readings by
/// MQTT or the Redis stream, the estate in PostgreSQL (seeded here before the
/// first reading), the owner keys in the `--keys` folder (created here for
/// owners that have none). Ctrl-C stops it between batches; it still waits
/// for the broker to take what was queued, then prints its summary.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Send a scenario's sensor readings, Fernet-encrypted and open-loop, to MQTT and/or the Redis stream.",
        discussion: """
            Start a subscriber against the same servers and key folder, for example:
              hearth stack up
              hearth subscribe --mqtt URL --redis URL --postgres URL --keys DIR
              hearth publish --scenario Scenarios/smoke.yaml --mqtt URL --redis URL --postgres URL --keys DIR
            Servers without a URL are started embedded for this run only. Prints a summary
            (sent, rate, lag) and exits 0; 2 for a bad scenario or flag, 1 if a server
            cannot be reached.
            """
    )

    @Option(help: "The scenario file.")
    var scenario: String

    @Option(help: "Run this long instead of the scenario's length (90s, 5m); longer holds the last stage's final rate.")
    var duration: String?

    @Option(help: "Publisher threads, each with its own Fernet contexts and MQTT connections.")
    var workers = PublisherOptions.defaultWorkers

    @Option(help: "Shortest time between two batches of a worker (1ms, 5ms): longer sends bigger batches, readings wait up to this long.")
    var tick = "1ms"

    @Flag(help: "Persistent MQTT sessions (clean session off), so queued QoS 1 messages survive a broker restart.")
    var persistentSession = false

    @Flag(help: "Do not write the estate to PostgreSQL (a subscriber then cannot look the sensors up).")
    var noSeed = false

    @OptionGroup var servers: ServerOptions

    func validate() throws {
        if let duration {
            do {
                let parsed = try Duration(scenarioText: duration)
                guard parsed > .zero else { throw ValidationError("--duration must be longer than 0") }
            } catch let error as UnitSyntaxError {
                throw ValidationError("--duration: \(error.message)")
            }
        }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
        do {
            let parsed = try Duration(scenarioText: tick)
            guard parsed > .zero, parsed <= .seconds(1) else { throw ValidationError("--tick must be more than 0 and at most 1s") }
        } catch let error as UnitSyntaxError {
            throw ValidationError("--tick: \(error.message)")
        }
    }

    func run() async throws {
        let logger = Logger.hearth(label: "hearth.publish")
        let scenario = try loadScenario()
        let transport = scenario.load.transport
        var needed: Set<StackService> = noSeed ? [] : [.postgres]
        if transport.usesMQTT { needed.insert(.mqtt) }
        if transport.usesRedisStream { needed.insert(.redis) }

        let resolved = try await withCLIErrors {
            try await servers.resolve(needing: needed, stack: embeddedConfiguration(for: scenario), logger: logger)
        }
        if resolved.stack != nil {
            let urls = needed.sorted { $0.rawValue < $1.rawValue }.compactMap { service in resolved.endpoints[service].map { "\(service.rawValue) \($0)" } }
            print("embedded servers for this run: \(urls.joined(separator: ", "))")
            fflush(nil)
        }
        do {
            let publisher = try await prepare(scenario, endpoints: resolved.endpoints, logger: logger)
            let report = try await runToCompletion(publisher, stack: resolved.stack, logger: logger)
            print(report.summary)
        } catch {
            await resolved.stack?.stop()
            printError("\(error)")
            throw ExitCode.runtimeError
        }
    }

    private func loadScenario() throws -> Scenario {
        try ScenarioFile.load(scenario)
    }

    /// Embedded servers take the scenario's Redis limits and TCP_NODELAY.
    private func embeddedConfiguration(for scenario: Scenario) -> StackConfiguration {
        let redis = scenario.stack.redis
        return StackConfiguration(
            redis: .init(maxMemory: redis.maxMemory.scenarioText, maxMemoryPolicy: redis.evictionPolicy.rawValue),
            mqtt: .init(tcpNoDelay: scenario.stack.tcpNoDelay, persistence: persistentSession)
        )
    }

    /// Longer than a subscriber's estate and key-folder poll (1 s by default).
    static let settleSeconds = 2

    /// Keys for every owner, the estate in PostgreSQL, and the publisher.
    private func prepare(_ scenario: Scenario, endpoints: StackEndpoints, logger: Logger) async throws -> Publisher {
        let layout = EstateLayout(estate: scenario.estate)
        let keyDirectory: String
        if servers.keys == nil, case .directory(let path) = scenario.load.keys {
            keyDirectory = path
        } else {
            keyDirectory = servers.keyDirectory
        }
        let ownersBefore = (try? Keyring.load(directory: keyDirectory))?.owners.count ?? 0
        let keyring = try Keyring.provisioned(owners: layout.ownerCount, directory: keyDirectory)
        var changed = keyring.owners.count != ownersBefore
        if !noSeed, let url = endpoints.postgres {
            let pool = PostgresPool(url: url, size: 1)
            do {
                let seeded = try await layout.seed(into: pool)
                logger.info("estate seeded", metadata: ["houses_inserted": "\(seeded.housesInserted)", "sensors_inserted": "\(seeded.sensorsInserted)"])
                changed = changed || seeded.housesInserted + seeded.sensorsInserted > 0
            } catch {
                await pool.close()
                throw error
            }
            await pool.close()
        }
        if changed {
            // Running subscribers look at the key folder and the estate about
            // once a second; give them time to see what was just added, or
            // their first readings would be refused as from unknown owners.
            logger.notice("new keys or estate rows: waiting \(Self.settleSeconds) s for running subscribers to load them")
            try await Task.sleep(for: .seconds(Self.settleSeconds))
        }
        let options = PublisherOptions(
            duration: try duration.map { try Duration(scenarioText: $0) },
            workers: workers,
            tick: try Duration(scenarioText: tick),
            cleanSession: !persistentSession
        )
        return try Publisher(
            scenario: scenario, keyring: keyring, mqttURL: endpoints.mqtt, redisURL: endpoints.redis,
            options: options, logger: logger
        )
    }

    /// Runs the publisher (and any embedded servers) in one ServiceGroup:
    /// SIGINT/SIGTERM stop the publisher cleanly, and the group ends when the
    /// publisher does, servers last.
    private func runToCompletion(_ publisher: Publisher, stack: EmbeddedStack?, logger: Logger) async throws -> PublisherReport {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let stack { services.append(.init(service: stack)) }
        services.append(.init(service: publisher, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup))
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigint, .sigterm], logger: logger))
        try await group.run()
        guard let report = publisher.lastReport else {
            throw PublisherError(.badConfiguration, "the publisher was stopped before it started sending")
        }
        return report
    }
}
