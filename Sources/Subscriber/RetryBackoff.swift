/// Exponential back-off between retries of the same work: 10 ms doubling to
/// a 1 s cap, so a blip costs milliseconds and an outage costs one attempt a
/// second.
struct RetryBackoff {
    private(set) var attempts = 0
    private var delay: Duration
    private let maximum: Duration

    init(initial: Duration = .milliseconds(10), maximum: Duration = .seconds(1)) {
        delay = initial
        self.maximum = maximum
    }

    /// Sleeps before the next attempt; throws CancellationError if the task is cancelled.
    mutating func wait() async throws {
        attempts += 1
        try await Task.sleep(for: delay)
        delay = min(delay * 2, maximum)
    }
}
