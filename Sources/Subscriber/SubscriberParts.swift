import Logging
import MQTT
import Postgres
import Redis
import Schema
import SensorCatalog

/// Everything a running ``Subscriber`` holds open, opened in dependency
/// order and closed together. Start-up fails with one clear line when a
/// server or the key folder cannot be used, so `hearth subscribe` exits 1
/// at once instead of refusing every reading.
struct SubscriberParts: Sendable {
    let configuration: SubscriberConfiguration
    let keys: KeyringWatcher
    let estate: EstateRefresher
    let alarms: AlarmSink
    let history: HistoryWriter?
    let pipeline: LockedReadingPipeline
    let redis: RedisConnection
    let announcer: MQTTClient
    let mqttInput: MQTTReadingInput?
    let streamReader: RedisConnection?
    let statistics: SubscriberStatistics
    let logger: Logger

    static func open(
        _ configuration: SubscriberConfiguration, pool: PostgresPool, catalog: SensorCatalog,
        statistics: SubscriberStatistics, logger: Logger
    ) async throws -> SubscriberParts {
        let migrations = try await starting("PostgreSQL schema") { try await Schema.migrate(pool) }
        if !migrations.applied.isEmpty {
            logger.notice("database schema migrated", metadata: ["applied": "\(migrations.applied)", "version": "\(migrations.current)"])
        }
        let keys = try await starting("key folder \(configuration.keyDirectory)") {
            try await KeyringWatcher(directory: configuration.keyDirectory, logger: logger)
        }
        let estate = EstateRefresher(pool: pool, pollInterval: configuration.estatePollInterval, logger: logger)
        try await starting("house and sensor cache") { try await estate.loadInitial() }
        let announcer = try await starting("MQTT broker (alarm announcements)") {
            var mqtt = try MQTTConfiguration(url: configuration.mqttURL, clientID: configuration.mqttClientID + "-alarms")
            mqtt.maxInflightMessages = 1000
            let client = try MQTTClient(mqtt)
            try await client.connect()
            return client
        }
        // From here on a failure must not leave the announcer connected.
        do {
            let spool = try await starting("alarm spool in \(configuration.stateDirectory)") { try AlarmSpool(directory: configuration.stateDirectory) }
            let alarms = try AlarmSink(spool: spool, pool: pool, announcer: announcer, statistics: statistics,
                                       limit: configuration.alarmSpoolLimit, logger: logger)
            let recorded = try await starting("alarm states") {
                try await RecordedAlarms.load(pool, then: await alarms.spooledTransitions)
            }
            let pipeline = LockedReadingPipeline(ReadingPipeline(
                catalog: catalog, keys: keys, replayWindow: configuration.replayWindow, maxClockSkew: configuration.maxClockSkew,
                maxPayloadBytes: configuration.maxPayloadBytes, recordedAlarms: recorded
            ))
            let redis = try await starting("Redis") { try await RedisConnection.connect(url: configuration.redisURL) }
            let history = configuration.history
                ? HistoryWriter(pool: pool, statistics: statistics, interval: configuration.historyFlushInterval,
                                flushRows: configuration.historyFlushRows, bufferLimit: configuration.historyBufferLimit, logger: logger)
                : nil
            let streamReader = configuration.usesStream
                ? try await starting("Redis (stream reader)") { try await RedisConnection.connect(url: configuration.redisURL) }
                : nil
            let mqttInput = configuration.usesMQTT
                ? try await starting("MQTT broker (readings)") { try await MQTTReadingInput.connect(configuration) }
                : nil
            return SubscriberParts(
                configuration: configuration, keys: keys, estate: estate, alarms: alarms, history: history, pipeline: pipeline,
                redis: redis, announcer: announcer, mqttInput: mqttInput, streamReader: streamReader, statistics: statistics, logger: logger
            )
        } catch {
            await announcer.disconnect()
            throw error
        }
    }

    /// A consumer for one input, with its own Redis pipeline buffer.
    func consumer(for transport: SubscriberConfiguration.Transport, observer: (any SubscriberObserver)?, shutdown: ShutdownState) -> BatchConsumer {
        BatchConsumer(
            transport: transport, pipeline: pipeline, estate: estate, keys: keys,
            writer: LatestWriter(redis: redis, ttlSeconds: configuration.ttlSeconds, statistics: statistics, logger: logger),
            alarms: alarms, history: history, statistics: statistics, observer: observer, shutdown: shutdown, logger: logger
        )
    }

    func close() async {
        if let mqttInput { await mqttInput.stop() }
        await announcer.disconnect()
        await redis.close()
        await streamReader?.close()
    }

    /// Runs one start-up step; a failure names the step.
    private static func starting<T>(_ step: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw SubscriberError(.startFailed, "cannot start the subscriber: \(step): \(error)")
        }
    }
}
