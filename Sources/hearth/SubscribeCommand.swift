import ArgumentParser
import Foundation
import Logging
import Scenario
import ServiceLifecycle
import Stack
import Subscriber

/// `hearth subscribe`: the decrypt → validate → store pipeline on its own,
/// until Ctrl-C or SIGTERM, printing its counters every `--stats-interval`.
///
/// On SIGTERM/SIGINT it stops taking readings, stores the batch in hand,
/// copies pending history, writes spooled alarms, prints its final counters
/// and exits 0. Exit 1 if a server cannot be used (at start, or so long at
/// shutdown that the flush gave up), 2 for a bad flag.
struct SubscribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subscribe",
        abstract: "Decrypt, validate and store sensor readings from MQTT and/or the Redis stream until stopped.",
        discussion: """
            Latest readings go to Redis (house:{h}:sensor:{s}:latest, the Fernet token, EX --ttl),
            alarm transitions to PostgreSQL and MQTT houses/{h}/alarms, invalid messages to
            dead-letter counts by reason. Servers without a URL are started embedded and their
            URLs printed, so a publisher can be pointed at them.
            Several subscribers can split the load: --shared (MQTT 5 shared subscription), or
            --transport redis-stream with a distinct --client-id each (consumer group members).
            """
    )

    @OptionGroup var servers: ServerOptions
    @OptionGroup var stackOptions: EmbeddedStackOptions

    @Option(help: "Where readings come from: mqtt, redis-stream or both.")
    var transport: SubscriberConfiguration.Transport = .mqtt

    @Flag(help: "Subscribe as $share/hearth/houses/+/sensors/+ (MQTT 5) so several subscribers split the readings.")
    var shared = false

    @Option(help: "MQTT QoS of the subscription (0, 1 or 2).")
    var qos = 1

    @Option(help: "Seconds a latest value lives in Redis (EX).")
    var ttl = 3600

    @Flag(help: "Also keep every reading's token in PostgreSQL's readings table (COPY in batches).")
    var history = false

    @Option(help: "Refuse tokens older than this (90s, 5m, 1h).")
    var replayWindow = "5m"

    @Option(help: "How many recent dead-letter samples to keep and print at exit (no plaintext, no keys).")
    var deadLetterSamples = 20

    @Option(help: "Print the counters this often (10s, 1m); 0s prints only at exit.")
    var statsInterval = "10s"

    @Option(help: "Folder for the alarm spool that keeps alarms while PostgreSQL is away.")
    var stateDir = "./.hearth/state"

    @Option(help: "MQTT client id, also the Redis stream consumer name (default: hearth-subscriber, plus the pid with --shared).")
    var clientID: String?

    @Option(help: "Refuse payloads larger than this many bytes before decrypting.")
    var maxPayloadBytes = 64 * 1024

    func validate() throws {
        guard (0...2).contains(qos) else { throw ValidationError("--qos must be 0, 1 or 2") }
        guard ttl > 0 else { throw ValidationError("--ttl must be at least 1 second") }
        guard deadLetterSamples >= 0 else { throw ValidationError("--dead-letter-samples cannot be negative") }
        guard maxPayloadBytes > 0 else { throw ValidationError("--max-payload-bytes must be positive") }
        guard try Self.duration(replayWindow, flag: "--replay-window") > .zero else {
            throw ValidationError("--replay-window must be longer than 0")
        }
        _ = try Self.duration(statsInterval, flag: "--stats-interval")
    }

    func run() async throws {
        let logger = Logger.hearth(label: "hearth.subscribe")
        let resolved = try await withCLIErrors {
            try await servers.resolve(stack: stackOptions.configuration(), logger: logger)
        }
        if resolved.stack != nil {
            let urls = StackService.allCases.compactMap { service in resolved.endpoints[service].map { "--\(service.rawValue) \($0)" } }
            print("embedded servers for this run: \(urls.joined(separator: " "))")
            fflush(nil)
        }
        let subscriber = Subscriber(configuration: try subscriberConfiguration(resolved.endpoints), logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let stack = resolved.stack { services.append(.init(service: stack)) }
        services.append(.init(service: subscriber, successTerminationBehavior: .gracefullyShutdownGroup,
                              failureTerminationBehavior: .gracefullyShutdownGroup))
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        ))
        let printer = Task { await printStatistics(subscriber) }
        var failure: (any Error)?
        do {
            try await group.run()
        } catch {
            failure = error
        }
        // The embedded stack, when there is one, ran in the group and has stopped with it.
        printer.cancel()
        print("final: \(subscriber.statistics.counters.summary)")
        for sample in subscriber.statistics.deadLetterSamples { print("dead letter: \(sample)") }
        fflush(nil)
        if let failure {
            printError("\(failure)")
            throw ExitCode.runtimeError
        }
    }

    private func subscriberConfiguration(_ endpoints: StackEndpoints) throws -> SubscriberConfiguration {
        var configuration = SubscriberConfiguration(
            mqttURL: endpoints.mqtt!, redisURL: endpoints.redis!, postgresURL: endpoints.postgres!, keyDirectory: servers.keyDirectory
        )
        configuration.transport = transport
        configuration.sharedSubscription = shared
        configuration.persistentSession = !shared
        configuration.qos = qos
        configuration.ttlSeconds = ttl
        configuration.history = history
        configuration.replayWindow = try Self.duration(replayWindow, flag: "--replay-window")
        configuration.deadLetterSamples = deadLetterSamples
        configuration.stateDirectory = stateDir
        configuration.maxPayloadBytes = maxPayloadBytes
        let id = clientID ?? (shared ? "hearth-subscriber-\(getpid())" : "hearth-subscriber")
        configuration.mqttClientID = id
        configuration.streamConsumer = id
        return configuration
    }

    /// One line every --stats-interval, on stdout, until cancelled.
    private func printStatistics(_ subscriber: Subscriber) async {
        guard let interval = try? Self.duration(statsInterval, flag: "--stats-interval"), interval > .zero else { return }
        var previous = subscriber.statistics.counters.received
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { return }
            let counters = subscriber.statistics.counters
            let rate = Double(counters.received - previous) / interval.secondsValue
            previous = counters.received
            print(String(format: "rate=%.0f/s ", rate) + counters.summary)
            fflush(nil)
        }
    }

    private static func duration(_ text: String, flag: String) throws -> Duration {
        do {
            return try Duration(scenarioText: text)
        } catch {
            throw ValidationError("\(flag): \(error.message)")
        }
    }
}

extension SubscriberConfiguration.Transport: ExpressibleByArgument {}
