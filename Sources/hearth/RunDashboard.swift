import API
import Foundation
import Harness
import Logging
import Scenario
import ServiceLifecycle

/// The HTTP API and live dashboard beside a run (`api: true` or
/// `dashboard: true` in the scenario): started on the run's servers once the
/// estate is seeded (so the administrator bootstrap does not take owner 1's
/// user id), fed the run's progress for the run page, and stopped before the
/// servers are.
enum RunDashboard {
    static func start(
        _ settings: APISettings, environment: RunEnvironment, feed: RunProgressFeed, logger: Logger
    ) async throws -> @Sendable () async -> Void {
        let processEnvironment = ProcessInfo.processInfo.environment
        let secret = try JWTSecret.resolve(environmentValue: processEnvironment["HEARTH_JWT_SECRET"], keysDirectory: environment.keysDirectory)
        let services = try await APIServices.start(
            configuration: APIConfiguration(host: settings.host, port: settings.port, initialAdmin: try InitialAdmin.fromEnvironment(processEnvironment)),
            servers: APIServers(
                postgres: environment.endpoints.postgres!, redis: environment.endpoints.redis!, mqtt: environment.endpoints.mqtt,
                keysDirectory: environment.keysDirectory
            ),
            jwtSecret: secret, runProgress: feed, logger: logger
        )
        services.adminBootstrap.announce()
        let host = settings.host
        let listening = RunFlag()
        let application = HearthAPI.application(services: services, logger: logger) { port in
            print("\nlive dashboard: http://\(host):\(port)/dashboard/ (API at http://\(host):\(port), run page at /dashboard/run.html)")
            fflush(nil)
            listening.raise()
        }
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let serving = Task { try await group.run() }
        let deadline = Date().addingTimeInterval(30)
        while !listening.isRaised {
            if Date() > deadline {
                serving.cancel()
                await services.shutdown()
                throw RunError(.runtime, "the dashboard did not start listening on \(host):\(settings.port) within 30 s (is the port taken? set api: { port: 0 } for any free port)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return {
            await group.triggerGracefulShutdown()
            _ = try? await serving.value
            await services.shutdown()
        }
    }
}
