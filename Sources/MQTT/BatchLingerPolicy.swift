#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a consumer that has just been woken by a message should linger
/// before it takes its batch.
///
/// The linger exists for high rates: without it, at 40,000 msg/s the
/// consumer took batches of one or two, paid a wake-up for each and
/// starved the broker of CPU. At a few thousand messages a second it only
/// adds its whole length to every reading's latency, because hardly
/// anything arrives meanwhile (at 5,000 msg/s a 500 µs linger gathers 2.5
/// messages). So the consumer lingers only when the recent arrival rate
/// says the linger will gather at least ``worthwhileMessages``.
struct BatchLingerPolicy {
    let lingerNanoseconds: UInt64
    /// The fewest messages a linger must be expected to gather to be worth its delay.
    static let worthwhileMessages = 8.0
    /// Weight of the newest take in the rate estimate.
    static let smoothing = 0.25
    /// Messages per second, smoothed over recent takes.
    private(set) var messagesPerSecond = 0.0
    private var lastTakeNanoseconds: UInt64?

    init(lingerNanoseconds: UInt64) {
        self.lingerNanoseconds = lingerNanoseconds
    }

    /// Counts a take of `count` messages at `now` (monotonic nanoseconds).
    mutating func recordTake(count: Int, at now: UInt64) {
        defer { lastTakeNanoseconds = now }
        guard let last = lastTakeNanoseconds, now > last else { return }
        let rate = Double(count) * 1e9 / Double(now - last)
        messagesPerSecond += Self.smoothing * (rate - messagesPerSecond)
    }

    var shouldLinger: Bool {
        lingerNanoseconds > 0 && messagesPerSecond * Double(lingerNanoseconds) / 1e9 >= Self.worthwhileMessages
    }

    /// The monotonic clock in nanoseconds.
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
