import Hummingbird
import Logging
import Postgres

/// The HTTP API: its router and, around it, a Hummingbird application.
///
/// `hearth serve` runs ``application(services:logger:onServerRunning:)``;
/// `hearth run` with `api: true` does the same next to a scenario, in the
/// same process and service group:
///
/// ```swift
/// let progress = RunProgressFeed()                      // hearth run: publish(_:) once a second
/// let services = try await APIServices.start(
///     configuration: APIConfiguration(port: 8080),
///     servers: APIServers(postgres: urls.postgres, redis: urls.redis, mqtt: urls.mqtt, keysDirectory: keys),
///     jwtSecret: try JWTSecret.resolve(environmentValue: environment["HEARTH_JWT_SECRET"], keysDirectory: keys),
///     runProgress: progress
/// )
/// let api = HearthAPI.application(services: services)   // a Service
/// let group = ServiceGroup(configuration: .init(services: [stack, subscriber, api], logger: logger))
/// ```
///
/// The live dashboard is served at `/dashboard/` by ``DashboardMiddleware``.
/// Tests drive ``router(services:)`` through HummingbirdTesting.
public enum HearthAPI {
    /// Every route, behind the metrics, error and authentication middleware.
    public static func router(services: APIServices) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        // Outermost first: metrics see the final status, including errors
        // turned into responses by ErrorMiddleware.
        router.add(middleware: HTTPMetricsMiddleware(factory: services.metricsFactory))
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: DashboardMiddleware())
        router.add(middleware: CacheInvalidationMiddleware(cache: services.houseReadCache))

        SystemController(services: services).register(on: router.group())
        AuthController(services: services).register(on: router.group())

        let authenticated = router.group().add(middleware: AuthenticationMiddleware(services: services))
        UsersController(services: services).register(on: authenticated)
        HousesController(services: services).register(on: authenticated)
        HouseMembersController(services: services).register(on: authenticated)
        HouseDataController(services: services).register(on: authenticated)
        AlarmsController(services: services).register(on: authenticated)
        AppliancesController(services: services).register(on: authenticated)
        SensorsController(services: services).register(on: authenticated)
        LiveController(services: services).register(authenticated: authenticated, open: router.group())
        return router
    }

    /// A Hummingbird application serving the API on the configured address.
    /// `services` runs inside it, so its connections close after the server
    /// has stopped taking requests.
    public static func application(
        services: APIServices,
        logger: Logger = Logger(label: "hearth.api"),
        onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(services: services),
            server: .eventLoopBoundHTTP1(),
            configuration: ApplicationConfiguration(
                address: .hostname(services.configuration.host, port: services.configuration.port),
                serverName: "hearth"
            ),
            services: [services],
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? services.configuration.port) },
            eventLoopGroupProvider: .shared(services.eventLoopGroup),
            logger: logger
        )
    }
}

extension APIServices {
    /// Runs `body` with a pooled PostgreSQL connection.
    @discardableResult
    func withDatabase<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await database.withConnection(body)
    }
}

extension HearthAPI {
    /// The OpenAPI document served at `/openapi.json`, as UTF-8 JSON.
    public static var openAPIDocument: [UInt8] { OpenAPISpec.json }
}
