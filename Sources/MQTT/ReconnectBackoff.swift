import BlockingIO

/// The wait before each reconnect attempt of a network thread that hearth
/// runs itself (``MQTTConnection``'s receive thread, ``MQTTNetworkLoop``):
/// the configured first delay, doubling up to the cap.
///
/// The schedule starts over after a connection that lasted at least the
/// cap. One that the broker drops at once (a client id taken over by
/// another client, a session it will not keep) goes on backing off instead,
/// so two clients fighting over one id do not reconnect ten times a second.
///
/// It blocks its thread, in slices, so that a stop is seen within 50 ms
/// rather than after a whole delay.
struct ReconnectBackoff {
    private let initial: Duration
    private let maximum: Duration
    /// What the next `wait` blocks for, unless a long connection came between.
    private(set) var delay: Duration
    private var connectedAt: UInt64?

    init(_ delays: (initial: Duration, maximum: Duration)) {
        initial = max(delays.initial, .milliseconds(1))
        maximum = max(initial, delays.maximum)
        delay = initial
    }

    /// A connection was made (``monotonicNanoseconds()``).
    mutating func connected(at now: UInt64 = monotonicNanoseconds()) { connectedAt = now }

    /// Blocks for the current delay unless `stopping` turns true, then doubles it.
    mutating func wait(now: UInt64 = monotonicNanoseconds(), unless stopping: () -> Bool) {
        if let since = connectedAt {
            if now >= since && now - since >= UInt64(maximum.totalNanoseconds) { delay = initial }
            connectedAt = nil
        }
        let slice = Duration.milliseconds(50)
        var remaining = delay
        while remaining > .zero && !stopping() {
            let step = min(remaining, slice)
            sleepThread(nanoseconds: UInt64(step.totalNanoseconds))
            remaining -= step
        }
        delay = min(delay * 2, maximum)
    }
}
