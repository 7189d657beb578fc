import ServiceLifecycle

/// In a ServiceGroup a publisher runs its scenario once; SIGINT or SIGTERM
/// (graceful shutdown) stops it between batches, and it still drains what it
/// queued and disconnects cleanly. The report is in ``Publisher/lastReport``.
extension Publisher: Service {
    public func run() async throws {
        try await withGracefulShutdownHandler {
            _ = try await publish()
        } onGracefulShutdown: {
            self.stop()
        }
    }
}
