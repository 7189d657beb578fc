import Foundation
import Logging
import NIOCore
import NIOPosix
import Postgres
import Prometheus
import Redis
import RedisNIO
import Schema
import SensorCatalog
import ServiceLifecycle

/// Where the API's servers are: the URLs that `hearth serve` (or `hearth run`)
/// resolved, embedded or given.
public struct APIServers: Sendable {
    public var postgres: String
    public var redis: String
    /// Nil: `/readyz` does not check MQTT.
    public var mqtt: String?
    /// Folder of `owner-<N>.key` files; also holds `jwt-hs256.key`.
    public var keysDirectory: String

    public init(postgres: String, redis: String, mqtt: String?, keysDirectory: String) {
        self.postgres = postgres
        self.redis = redis
        self.mqtt = mqtt
        self.keysDirectory = keysDirectory
    }
}

/// Everything the API's handlers share: connections, keys, the token signer,
/// metrics. Start it once with ``start(configuration:servers:jwtSecret:logger:)``
/// and hand it to ``HearthAPI``.
///
/// Starting migrates the schema (idempotent, safe from several processes)
/// and makes sure an administrator can log in (``AdminBootstrap``). As a
/// `Service` it closes its connections when the service group shuts down,
/// after the HTTP server stopped; outside a service group call ``shutdown()``.
public final class APIServices: Service, Sendable {
    public let configuration: APIConfiguration
    /// What the administrator bootstrap did; `.generated` carries a password
    /// to show the operator once.
    public let adminBootstrap: AdminBootstrap.Outcome
    /// The API's metrics; `/metrics` renders it. A command may also bootstrap
    /// the global `MetricsSystem` with a factory over it.
    public let registry: PrometheusCollectorRegistry
    /// The live figures of a load run in this process, for the dashboard's
    /// run page; nil for `hearth serve` (the page says no run is in progress).
    public let runProgress: RunProgressFeed?

    /// The event loops that serve HTTP and talk to Redis; the same group,
    /// so a request and its Redis read share a thread.
    let eventLoopGroup: any EventLoopGroup
    let database: PostgresPool
    let redis: RedisLoopConnections
    let tokens: TokenIssuer
    let passwords: PasswordHasher
    let readiness: ReadinessProbe
    let latestReadings: LatestReadings
    /// Who may read which house, for `/data`; cleared by every write.
    let houseReadCache: HouseReadCache
    let metricsFactory: PrometheusMetricsFactory
    let logger: Logger
    /// The dashboard's live streams: who may open one, and what they watch.
    let eventTickets = EventTicketStore()
    let houseWatchers = HouseWatchers()
    private let alarmListener: AlarmAnnouncementListener?
    private let mqtt: MQTTProbe?

    private init(
        configuration: APIConfiguration, adminBootstrap: AdminBootstrap.Outcome, registry: PrometheusCollectorRegistry,
        eventLoopGroup: any EventLoopGroup, database: PostgresPool, redis: RedisLoopConnections, tokens: TokenIssuer, passwords: PasswordHasher,
        mqtt: MQTTProbe?, mqttURL: String?, ciphers: OwnerCiphers, runProgress: RunProgressFeed?, logger: Logger
    ) throws {
        self.configuration = configuration
        self.adminBootstrap = adminBootstrap
        self.registry = registry
        self.eventLoopGroup = eventLoopGroup
        self.database = database
        self.redis = redis
        self.tokens = tokens
        self.passwords = passwords
        self.mqtt = mqtt
        self.logger = logger
        self.runProgress = runProgress
        alarmListener = try mqttURL.map { [houseWatchers] in try AlarmAnnouncementListener(url: $0, watchers: houseWatchers, logger: logger) }
        readiness = ReadinessProbe(database: database, redis: redis, mqtt: mqtt)
        let catalog = SensorCatalog.builtIn
        latestReadings = LatestReadings(redis: redis, ciphers: ciphers, catalog: catalog,
                                        staleness: Staleness(configuration: configuration, catalog: catalog))
        houseReadCache = HouseReadCache(lifetime: configuration.accessCacheLifetime)
        metricsFactory = PrometheusMetricsFactory(registry: registry)
    }

    /// Connects to the servers, migrates the schema and bootstraps the
    /// first administrator.
    ///
    /// - Parameters:
    ///   - jwtSecret: from ``JWTSecret/resolve(environmentValue:keysDirectory:)``.
    ///   - runProgress: the feed `hearth run` publishes its figures to, for
    ///     the dashboard's run page; nil when no run shares this process.
    public static func start(
        configuration: APIConfiguration,
        servers: APIServers,
        jwtSecret: [UInt8],
        runProgress: RunProgressFeed? = nil,
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        logger: Logger = Logger(label: "hearth.api")
    ) async throws -> APIServices {
        let database = PostgresPool(url: servers.postgres, size: configuration.postgresPoolSize)
        do {
            try await Schema.migrate(database)
            let passwords = PasswordHasher(cost: configuration.bcryptCost)
            let outcome = try await AdminBootstrap.run(database, passwords: passwords, initial: configuration.initialAdmin)
            let eventLoopGroup = MultiThreadedEventLoopGroup.singleton
            let redis = RedisLoopConnections(
                configuration: try RedisConfiguration(url: servers.redis),
                commandTimeout: TimeAmount(configuration.redisTimeout), group: eventLoopGroup
            )
            try await redis.connect()
            let mqtt = try servers.mqtt.map(MQTTProbe.init(url:))
            _ = await mqtt?.problem()
            return try APIServices(
                configuration: configuration, adminBootstrap: outcome, registry: registry,
                eventLoopGroup: eventLoopGroup, database: database, redis: redis,
                tokens: await TokenIssuer(secret: jwtSecret, lifetime: configuration.tokenLifetime),
                passwords: passwords, mqtt: mqtt, mqttURL: servers.mqtt, ciphers: OwnerCiphers(directory: servers.keysDirectory),
                runProgress: runProgress, logger: logger
            )
        } catch {
            await database.close()
            throw error
        }
    }

    /// Waits for the service group's graceful shutdown, then closes.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Closes every connection; requests still running fail.
    public func shutdown() async {
        alarmListener?.stop()
        houseWatchers.stopAll()
        runProgress?.updates.finishAll()
        await mqtt?.close()
        await redis.close()
        await database.close()
    }
}
