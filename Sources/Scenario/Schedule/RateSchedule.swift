/// The total send rate of a run as a pure function of time, and its
/// integral: how many messages should have been sent by time t, and when
/// the n-th message is due.
///
/// An open-loop load generator (like wrk2) must not wait for replies before
/// sending; it sends message n at its intended time and measures latency
/// from that time, so a stalled system shows up as latency instead of as a
/// politely slower sender ("coordinated omission"). ``intendedTime(ofSend:)``
/// gives those times.
///
/// Internally the schedule is a list of segments in which the rate changes
/// linearly (constant segments have equal ends), so every stage shape maps
/// onto it exactly: a ramp is one segment, a step is one per plateau, a
/// spike is three. Times are seconds from the start of the run.
public struct RateSchedule: Equatable, Sendable {
    /// A stretch in which the rate moves linearly from `startRate` to
    /// `endRate` (messages per second over the whole estate).
    public struct Segment: Equatable, Sendable {
        public var start: Double
        public var duration: Double
        public var startRate: Double
        public var endRate: Double
        /// Index into ``stages``.
        public var stage: Int
        /// Messages due before this segment starts.
        public var countBefore: Double

        public var end: Double { start + duration }
        /// Messages due within the segment (the trapezoid's area).
        public var count: Double { (startRate + endRate) / 2 * duration }

        /// The rate `offset` seconds into the segment.
        func rate(at offset: Double) -> Double {
            duration > 0 ? startRate + (endRate - startRate) * (offset / duration) : startRate
        }

        /// Messages due in the first `offset` seconds of the segment.
        func count(through offset: Double) -> Double {
            guard duration > 0 else { return 0 }
            return startRate * offset + (endRate - startRate) * offset * offset / (2 * duration)
        }

        /// The offset at which `count(through:)` reaches `messages`, solving
        /// the quadratic in the form that stays accurate when the slope is
        /// tiny or negative.
        func offset(reaching messages: Double) -> Double {
            guard messages > 0 else { return 0 }
            let slope = duration > 0 ? (endRate - startRate) / duration : 0
            let root = (startRate * startRate + 2 * slope * messages).squareRoot()
            let offset = 2 * messages / (startRate + root)
            return min(max(offset, 0), duration)
        }
    }

    /// A stage's place on the timeline.
    public struct StageSpan: Equatable, Sendable {
        public var name: String
        public var start: Double
        public var end: Double
        public var measured: Bool
    }

    public private(set) var segments: [Segment]
    public private(set) var stages: [StageSpan]

    /// Builds a schedule from pieces in order; each piece is (duration,
    /// start rate, end rate, stage index).
    init(pieces: [(duration: Double, startRate: Double, endRate: Double, stage: Int)], stages: [StageSpan]) {
        var segments: [Segment] = []
        var time = 0.0
        var count = 0.0
        for piece in pieces where piece.duration > 0 {
            let segment = Segment(start: time, duration: piece.duration, startRate: piece.startRate, endRate: piece.endRate, stage: piece.stage, countBefore: count)
            segments.append(segment)
            time += piece.duration
            count += segment.count
        }
        self.segments = segments
        self.stages = stages
    }

    /// Seconds from the start of the run to its end.
    public var duration: Double { segments.last?.end ?? 0 }

    /// Messages due over the whole run (a real number; see ``sendCount``).
    public var totalCount: Double { segments.last.map { $0.countBefore + $0.count } ?? 0 }

    /// How many sends the run makes: every n with n < ``totalCount``.
    public var sendCount: Int {
        let total = totalCount
        return total < Double(Int.max) ? Int(total.rounded(.up)) : Int.max
    }

    /// Messages per second at time `t`; 0 before the start and after the end.
    public func rate(at t: Double) -> Double {
        guard let segment = segment(containing: t) else { return 0 }
        return segment.rate(at: t - segment.start)
    }

    /// Messages due in [0, t]: the integral of ``rate(at:)``.
    public func expectedCount(at t: Double) -> Double {
        guard t > 0 else { return 0 }
        guard t < duration else { return totalCount }
        guard let segment = segment(containing: t) else { return totalCount }
        return segment.countBefore + segment.count(through: t - segment.start)
    }

    /// When send number `n` (from 0) is due, in seconds from the start; nil
    /// once the run has no more sends. Send 0 is due when the first
    /// non-silent stretch begins.
    public func intendedTime(ofSend n: Int) -> Double? {
        let messages = Double(n)
        guard n >= 0, messages < totalCount else { return nil }
        var low = 0
        var high = segments.count - 1
        while low < high {
            let middle = (low + high) / 2
            if segments[middle].countBefore + segments[middle].count > messages { high = middle } else { low = middle + 1 }
        }
        let segment = segments[low]
        return segment.start + segment.offset(reaching: messages - segment.countBefore)
    }

    /// ``intendedTime(ofSend:)`` as a Duration, for schedulers that sleep
    /// until a clock instant.
    public func intendedOffset(ofSend n: Int) -> Duration? {
        intendedTime(ofSend: n).map { .nanoseconds(Int64(($0 * 1e9).rounded())) }
    }

    /// The stage running at time `t`, as an index into ``stages``.
    public func stageIndex(at t: Double) -> Int? {
        guard t >= 0, t < duration else { return nil }
        return stages.firstIndex { t >= $0.start && t < $0.end }
    }

    /// The highest rate anywhere in the run, or only in measured stages.
    public func peakRate(measuredOnly: Bool = false) -> Double {
        segments.filter { !measuredOnly || stages[$0.stage].measured }.map { max($0.startRate, $0.endRate) }.max() ?? 0
    }

    /// The same timeline with every rate multiplied by `factor`: the share
    /// of one load shard (`--shard i/n` sends about 1/n of the messages).
    public func scaled(by factor: Double) -> RateSchedule {
        let pieces = segments.map { (duration: $0.duration, startRate: $0.startRate * factor, endRate: $0.endRate * factor, stage: $0.stage) }
        return RateSchedule(pieces: pieces, stages: stages)
    }

    private func segment(containing t: Double) -> Segment? {
        guard t >= 0, t < duration else { return nil }
        var low = 0
        var high = segments.count - 1
        while low < high {
            let middle = (low + high) / 2
            if segments[middle].end > t { high = middle } else { low = middle + 1 }
        }
        return segments[low]
    }
}
