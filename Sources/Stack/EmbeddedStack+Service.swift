import ServiceLifecycle

/// In a ServiceGroup the stack lives until graceful shutdown (SIGINT or
/// SIGTERM) or cancellation, then stops its servers. Put it first in the
/// group's service list: ServiceGroup shuts services down in reverse order, so
/// the servers outlive the clients that flush into them.
extension EmbeddedStack: Service {
    public func run() async throws {
        try? await gracefulShutdown()
        await stop()
    }
}
