import BlockingIO
import Logging
import Subscriber

/// The run's in-process subscriber: started before the load, stopped (with
/// its flush) after the drain, and restartable for the `subscriber_restart`
/// fault. With a persistent MQTT session under a fixed client id, the
/// broker keeps QoS 1 readings for it while it is away and nothing is lost.
/// `hearth bench pipeline` hosts its subscriber the same way.
public final class SubscriberHost: Sendable {
    let configuration: SubscriberConfiguration
    private let observer: any SubscriberObserver
    private let logger: Logger
    private let lock = Mutex()
    private nonisolated(unsafe) var current: (subscriber: Subscriber, task: Task<Void, any Error>)?

    public init(configuration: SubscriberConfiguration, observer: any SubscriberObserver, logger: Logger) {
        self.configuration = configuration
        self.observer = observer
        self.logger = logger
    }

    /// The running subscriber's counters (nil when stopped).
    var statistics: SubscriberStatistics? { lock.withLock { current?.subscriber.statistics } }

    /// Starts a subscriber and returns once it has subscribed; throws its
    /// error if it stops first (a server it cannot reach, say).
    public func start(timeout: Duration = .seconds(60)) async throws {
        let subscriber = Subscriber(configuration: configuration, observer: observer, logger: logger)
        let task = Task { try await subscriber.run() }
        lock.withLock { current = (subscriber, task) }
        let subscribed: Bool
        do {
            // Ready, its run ended (waitUntilReady throws), or the time is up: whichever is first.
            subscribed = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask { try await subscriber.waitUntilReady(); return true }
                group.addTask { try await Task.sleep(for: timeout); return false }
                defer { group.cancelAll() }
                return try await group.next() ?? false
            }
        } catch where Task.isCancelled {
            // Our caller gave up: the subscriber stays in `current`, so `stop()` can collect it.
            subscriber.stop()
            throw CancellationError()
        } catch {
            lock.withLock { current = nil }
            try await task.value
            throw RunError(.runtime, "the subscriber stopped before it subscribed")
        }
        guard subscribed else {
            subscriber.stop()
            throw RunError(.runtime, "the subscriber did not subscribe within \(timeout)")
        }
    }

    /// Stops the subscriber as a graceful shutdown does (its batch in hand,
    /// pending history and spooled alarms are flushed) and waits for it.
    public func stop() async throws {
        guard let running = lock.withLock({ () -> (subscriber: Subscriber, task: Task<Void, any Error>)? in
            defer { current = nil }
            return current
        }) else { return }
        running.subscriber.stop()
        try await running.task.value
    }

    /// The `subscriber_restart` fault: stop with a flush, start again.
    func restart() async throws {
        try await stop()
        try await start()
    }
}
