import BlockingIO

/// The wait before each reconnect attempt of a network thread that hearth
/// runs itself (``MQTTConnection``'s receive thread, ``MQTTNetworkLoop``):
/// the configured first delay, doubling up to the cap, and back to the first
/// once a connection is made.
///
/// It blocks its thread, in slices, so that a stop is seen within 50 ms
/// rather than after a whole delay.
struct ReconnectBackoff {
    private let initial: Duration
    private let maximum: Duration
    /// What the next `wait` blocks for.
    private(set) var delay: Duration

    init(_ delays: (initial: Duration, maximum: Duration)) {
        initial = max(delays.initial, .milliseconds(1))
        maximum = max(initial, delays.maximum)
        delay = initial
    }

    /// After a connection was made: the next failure waits the first delay again.
    mutating func reset() { delay = initial }

    /// Blocks for the current delay unless `stopping` turns true, then doubles it.
    mutating func wait(unless stopping: () -> Bool) {
        let slice = Duration.milliseconds(50)
        var remaining = delay
        while remaining > .zero && !stopping() {
            let step = min(remaining, slice)
            sleepThread(nanoseconds: UInt64(step.components.seconds) * 1_000_000_000 + UInt64(step.components.attoseconds / 1_000_000_000))
            remaining -= step
        }
        delay = min(delay * 2, maximum)
    }
}
