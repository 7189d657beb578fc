/// Whether a consumer that has just been woken by a message should linger
/// before it takes its batch.
///
/// The linger exists for high rates: without it, at 40,000 msg/s the
/// consumer took batches of one or two, paid a wake-up for each and
/// starved the broker of CPU. At a few thousand messages a second it only
/// adds its whole length to every reading's latency, because hardly
/// anything arrives meanwhile (at 5,000 msg/s a 250 µs linger gathers 1.25
/// messages). So the consumer lingers only when the recent arrival rate
/// says the linger will gather at least ``worthwhileMessages``.
struct BatchLingerPolicy {
    let lingerNanoseconds: UInt64
    /// The fewest messages a linger must be expected to gather to be worth its delay.
    static let worthwhileMessages = 8.0
    /// Weight of the newest take in the averages.
    static let smoothing = 0.25
    /// Smoothed messages per take and nanoseconds between takes. Their
    /// ratio is the rate; an average of each take's own rate would read
    /// high whenever arrivals come in bursts (one message taken 40 µs after
    /// the last is "25,000 msg/s").
    private var averageCount = 0.0
    private var averageInterval = 0.0
    private var lastTakeNanoseconds: UInt64?

    /// Messages per second over recent takes.
    var messagesPerSecond: Double { averageInterval > 0 ? averageCount * 1e9 / averageInterval : 0 }

    init(lingerNanoseconds: UInt64) {
        self.lingerNanoseconds = lingerNanoseconds
    }

    /// Counts a take of `count` messages at `now` (``monotonicNanoseconds()``).
    mutating func recordTake(count: Int, at now: UInt64) {
        defer { lastTakeNanoseconds = now }
        guard let last = lastTakeNanoseconds, now > last else { return }
        if averageInterval == 0 {
            averageCount = Double(count)
            averageInterval = Double(now - last)
        } else {
            averageCount += Self.smoothing * (Double(count) - averageCount)
            averageInterval += Self.smoothing * (Double(now - last) - averageInterval)
        }
    }

    var shouldLinger: Bool {
        lingerNanoseconds > 0 && messagesPerSecond * Double(lingerNanoseconds) / 1e9 >= Self.worthwhileMessages
    }
}
