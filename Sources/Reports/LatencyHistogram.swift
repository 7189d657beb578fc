import Histogram

/// An HdrHistogram of latencies in microseconds.
///
/// Microseconds with three significant digits resolve 1 µs up to 2 ms and
/// 0.1 % above, which is finer than anything a loopback run can tell apart,
/// while keeping each histogram near 100 KB for latencies up to seconds (the
/// harness keeps one per span, stage and kind). It resizes as values arrive;
/// anything above an hour is recorded as an hour, because a reading that late
/// is lost in every sense that matters to a gate.
public typealias LatencyHistogram = Histogram<UInt64>

extension Histogram where Count == UInt64 {
    /// The largest latency kept: one hour, in microseconds.
    public static var latencyCeilingMicroseconds: UInt64 { 3_600_000_000 }

    /// An empty, auto-resizing latency histogram (1 µs to 1 h, 3 digits).
    public static func latency() -> Histogram<UInt64> {
        var histogram = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
        histogram.autoResize = true
        return histogram
    }

    /// Records one latency given in nanoseconds; negative values (clock
    /// steps between processes) count as zero rather than being dropped, so
    /// counts still add up.
    public mutating func recordLatency(nanoseconds: Int64) {
        let microseconds = nanoseconds <= 0 ? 0 : UInt64(nanoseconds / 1000)
        record(Swift.min(microseconds, Self.latencyCeilingMicroseconds))
    }

    public mutating func recordLatency(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        recordLatency(nanoseconds: seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// The percentile figures a report shows, in milliseconds.
    public var latencySummary: LatencySummary {
        LatencySummary(histogram: self)
    }
}

/// Percentiles of one latency histogram, in milliseconds, for people and for
/// gates. The histogram itself travels next to it so the figures can be
/// recomputed after a merge.
public struct LatencySummary: Codable, Sendable, Equatable {
    public var count: Int
    public var minMs: Double
    public var meanMs: Double
    public var p50Ms: Double
    public var p90Ms: Double
    public var p99Ms: Double
    public var p999Ms: Double
    public var maxMs: Double

    public init(count: Int, minMs: Double, meanMs: Double, p50Ms: Double, p90Ms: Double, p99Ms: Double, p999Ms: Double, maxMs: Double) {
        self.count = count
        self.minMs = minMs
        self.meanMs = meanMs
        self.p50Ms = p50Ms
        self.p90Ms = p90Ms
        self.p99Ms = p99Ms
        self.p999Ms = p999Ms
        self.maxMs = maxMs
    }

    public init(histogram: LatencyHistogram) {
        guard histogram.totalCount > 0 else {
            self.init(count: 0, minMs: 0, meanMs: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, p999Ms: 0, maxMs: 0)
            return
        }
        func ms(_ microseconds: UInt64) -> Double { Double(microseconds) / 1000 }
        self.init(
            count: Int(histogram.totalCount),
            minMs: ms(histogram.min),
            meanMs: histogram.mean / 1000,
            p50Ms: ms(histogram.valueAtPercentile(50)),
            p90Ms: ms(histogram.valueAtPercentile(90)),
            p99Ms: ms(histogram.valueAtPercentile(99)),
            p999Ms: ms(histogram.valueAtPercentile(99.9)),
            maxMs: ms(histogram.max)
        )
    }

    /// The figure a percentile gate or a comparison asks for, in milliseconds.
    public func milliseconds(at percentile: LatencyPercentile) -> Double {
        switch percentile {
        case .p50: p50Ms
        case .p90: p90Ms
        case .p99: p99Ms
        case .p999: p999Ms
        case .max: maxMs
        }
    }
}

/// The percentiles reports and gates talk about.
public enum LatencyPercentile: String, CaseIterable, Codable, Sendable {
    case p50, p90, p99, p999, max

    /// `p99.9` rather than `p999`, for people.
    public var label: String {
        switch self {
        case .p50: "p50"
        case .p90: "p90"
        case .p99: "p99"
        case .p999: "p99.9"
        case .max: "max"
        }
    }
}
