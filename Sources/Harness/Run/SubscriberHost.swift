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
        let ended = RunFlag()
        let ready = RunFlag()
        let task = Task {
            defer { ended.raise() }
            try await subscriber.run()
        }
        lock.withLock { current = (subscriber, task) }
        // Ends when the subscriber is ready or its run ends, whichever is first.
        Task {
            if (try? await subscriber.waitUntilReady()) != nil { ready.raise() }
        }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while !ready.isRaised {
            if ended.isRaised {
                lock.withLock { current = nil }
                try await task.value
                throw RunError(.runtime, "the subscriber stopped before it subscribed")
            }
            guard clock.now < deadline else {
                subscriber.stop()
                throw RunError(.runtime, "the subscriber did not subscribe within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(10))
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

/// A one-way flag between tasks (a subscriber ready or ended, a server listening).
public final class RunFlag: Sendable {
    private let lock = Mutex()
    private nonisolated(unsafe) var raised = false

    public init() {}
    public func raise() { lock.withLock { raised = true } }
    public var isRaised: Bool { lock.withLock { raised } }
}
