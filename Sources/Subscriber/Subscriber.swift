import Logging
import MQTT
import Postgres
import Redis
import Schema
import SensorCatalog
import ServiceLifecycle

/// The decrypt → validate → store pipeline as a swift-service-lifecycle
/// `Service`.
///
/// `run()` migrates the schema, loads the house and sensor cache and the
/// keys, subscribes to its inputs and handles readings until a graceful
/// shutdown (SIGTERM/SIGINT in a `ServiceGroup`): then it stops taking input,
/// finishes the batch in hand (its Redis pipeline included), copies the
/// pending history, writes the alarm spool to PostgreSQL, and returns. If a
/// server stays away longer than `shutdownFlushTimeout` it gives up, says what
/// it could not flush, and throws; alarms are safe in the spool either way.
///
/// Counters are readable at any time through ``statistics``; per-batch
/// timings go to the ``SubscriberObserver``.
public final class Subscriber: Service, Sendable {
    public let configuration: SubscriberConfiguration
    public let statistics: SubscriberStatistics
    private let catalog: SensorCatalog
    private let observer: (any SubscriberObserver)?
    private let logger: Logger
    private let readiness = ReadinessSignal()
    private let shutdown = ShutdownState()

    public init(
        configuration: SubscriberConfiguration,
        catalog: SensorCatalog = .builtIn,
        observer: (any SubscriberObserver)? = nil,
        logger: Logger = Logger(label: "hearth.subscriber")
    ) {
        self.configuration = configuration
        self.statistics = SubscriberStatistics(sampleCapacity: configuration.deadLetterSamples)
        self.catalog = catalog
        self.observer = observer
        self.logger = logger
    }

    /// Returns once the inputs are subscribed (immediately if they already
    /// are). Throws the error that ended `run()` before that, or a
    /// `startFailed` error if it ended without one (stopped first).
    public func waitUntilReady() async throws {
        try await readiness.wait()
    }

    /// Asks a running subscriber to stop as a graceful shutdown would, for
    /// embedders that run it outside a `ServiceGroup`.
    public func stop() {
        shutdown.beginStopping(timeout: configuration.shutdownFlushTimeout)
    }

    public func run() async throws {
        let pool = PostgresPool(url: configuration.postgresURL, size: 3)
        do {
            try await run(with: pool)
        } catch {
            await pool.close()
            readiness.fail(error)
            throw error
        }
        await pool.close()
        readiness.fail(SubscriberError(.startFailed, "the subscriber stopped before it subscribed"))
    }

    private func run(with pool: PostgresPool) async throws {
        let parts = try await SubscriberParts.open(configuration, pool: pool, catalog: catalog, statistics: statistics, logger: logger)
        let shutdown = shutdown
        let timeout = configuration.shutdownFlushTimeout
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { background in
                background.addTask { await parts.estate.run() }
                background.addTask { await parts.keys.run(every: self.configuration.estatePollInterval) }
                background.addTask { await parts.alarms.run() }
                if let history = parts.history { background.addTask { await history.run() } }
                var failure: (any Error)?
                do {
                    try await runInputs(parts)
                } catch {
                    failure = error
                }
                shutdown.beginStopping(timeout: timeout)
                background.cancelAll()
                await flush(parts)
                await parts.close()
                if let failure, !(failure is CancellationError) { throw failure }
            }
        } onGracefulShutdown: {
            shutdown.beginStopping(timeout: timeout)
        }
        logger.notice("subscriber stopped", metadata: ["counters": "\(statistics.counters.summary)"])
    }

    /// Runs every input until each has stopped; the first failure stops the others.
    private func runInputs(_ parts: SubscriberParts) async throws {
        try await withThrowingTaskGroup(of: Void.self) { inputs in
            if let mqtt = parts.mqttInput {
                let consumer = parts.consumer(for: .mqtt, observer: observer, shutdown: shutdown)
                shutdown.onStop { Task { await mqtt.stop() } }
                // On the Redis connection's thread: each batch's store is then a call, not two thread switches.
                inputs.addTask(executorPreference: parts.redis.taskExecutor) { try await mqtt.run(consumer) }
            }
            if let reader = parts.streamReader {
                let consumer = parts.consumer(for: .redisStream, observer: observer, shutdown: shutdown)
                let stream = StreamReadingInput(reader: reader, configuration: configuration, shutdown: shutdown, logger: logger)
                inputs.addTask { try await stream.run(consumer) }
            }
            logger.notice("subscriber ready", metadata: [
                "transport": "\(configuration.transport.rawValue)", "filter": "\(configuration.readingFilter)",
            ])
            readiness.fire()
            try await inputs.waitForAll()
        }
    }

    /// Copies pending history and writes spooled alarms, within the time the shutdown allows.
    private func flush(_ parts: SubscriberParts) async {
        let timeout = max(shutdown.remaining, .milliseconds(100))
        if let history = parts.history {
            let left = await history.flush(timeout: timeout)
            if left > 0 { logger.error("history rows not written at shutdown", metadata: ["rows": "\(left)"]) }
        }
        let spooled = await parts.alarms.flush(timeout: max(shutdown.remaining, .milliseconds(100)))
        if spooled > 0 {
            logger.warning("alarms still in the spool at shutdown; they are written at the next start", metadata: ["count": "\(spooled)"])
        }
    }
}

extension Subscriber {
    /// Whether the inputs are subscribed (see ``waitUntilReady()``).
    public var isReady: Bool { readiness.isFired }
}
