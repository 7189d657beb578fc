/// Collects a run's latencies into the histograms a report needs: per span,
/// per stage and per kind, with the "all measured stages" and "all kinds"
/// totals, plus one end-to-end histogram per second for the timeline.
///
/// A value type without locks: give each thread that times readings its own
/// recorder and ``merge(_:)`` them when the run ends (adding histograms is
/// cheap and exact).
public struct LatencyRecorder: Sendable {
    struct Key: Hashable, Sendable {
        var span: LatencySpan
        var stage: String?
        var kind: String?
    }

    private var histograms: [Key: LatencyHistogram] = [:]
    private var order: [Key] = []
    private var seconds: [Int: LatencyHistogram] = [:]

    public init() {}

    /// Records one reading's latency over `span`.
    /// - Parameters:
    ///   - stage: the stage the reading was intended in.
    ///   - measured: whether that stage counts towards the run's totals.
    ///   - second: for ``LatencySpan/endToEnd``, the second of the run the
    ///     reading was intended in, for the timeline.
    public mutating func record(_ span: LatencySpan, nanoseconds: Int64, stage: String, kind: String, measured: Bool, second: Int? = nil) {
        add(Key(span: span, stage: stage, kind: kind), nanoseconds)
        add(Key(span: span, stage: stage, kind: nil), nanoseconds)
        if measured {
            add(Key(span: span, stage: nil, kind: kind), nanoseconds)
            add(Key(span: span, stage: nil, kind: nil), nanoseconds)
        }
        if span == .endToEnd, let second, second >= 0 {
            seconds[second, default: .latency()].recordLatency(nanoseconds: nanoseconds)
        }
    }

    /// Adds a histogram already collected for one span, stage and kind (a
    /// harness that keeps its own per-stage cells on the hot path hands them
    /// over this way at the end), into the same totals ``record(_:nanoseconds:stage:kind:measured:second:)`` keeps.
    public mutating func add(_ span: LatencySpan, histogram: LatencyHistogram, stage: String, kind: String, measured: Bool) {
        add(Key(span: span, stage: stage, kind: kind), histogram)
        add(Key(span: span, stage: stage, kind: nil), histogram)
        if measured {
            add(Key(span: span, stage: nil, kind: kind), histogram)
            add(Key(span: span, stage: nil, kind: nil), histogram)
        }
    }

    /// Adds a finished second of end-to-end latency to the timeline.
    public mutating func addSecond(_ second: Int, histogram: LatencyHistogram) {
        Self.add(histogram, to: &seconds[second])
    }

    private mutating func add(_ key: Key, _ histogram: LatencyHistogram) {
        if histograms[key] == nil { order.append(key) }
        Self.add(histogram, to: &histograms[key])
    }

    /// Stores `histogram` in an empty slot, or adds it to what is there.
    private static func add(_ histogram: LatencyHistogram, to slot: inout LatencyHistogram?) {
        if slot == nil {
            slot = histogram
        } else {
            slot!.add(histogram)
        }
    }

    private mutating func add(_ key: Key, _ nanoseconds: Int64) {
        if histograms[key] == nil {
            order.append(key)
            histograms[key] = .latency()
        }
        histograms[key]!.recordLatency(nanoseconds: nanoseconds)
    }

    /// Adds another recorder's histograms to this one's.
    public mutating func merge(_ other: LatencyRecorder) {
        for key in other.order { add(key, other.histograms[key]!) }
        for (second, histogram) in other.seconds { addSecond(second, histogram: histogram) }
    }

    /// The histogram of one span, stage (nil: measured stages) and kind (nil: all).
    public func histogram(_ span: LatencySpan, stage: String? = nil, kind: String? = nil) -> LatencyHistogram? {
        histograms[Key(span: span, stage: stage, kind: kind)]
    }

    /// Every histogram as a report record, totals first, then in the order first seen.
    public var records: [LatencyRecord] {
        let ranked = order.enumerated().sorted { lhs, rhs in
            let l = (lhs.element.stage == nil ? 0 : 1) + (lhs.element.kind == nil ? 0 : 2)
            let r = (rhs.element.stage == nil ? 0 : 1) + (rhs.element.kind == nil ? 0 : 2)
            return (l, lhs.offset) < (r, rhs.offset)
        }
        return ranked.map { _, key in
            LatencyRecord(span: key.span, stage: key.stage, kind: key.kind, histogram: histograms[key]!)
        }
    }

    /// End-to-end latency per second, in time order.
    public var timeline: [LatencyPoint] {
        seconds.keys.sorted().map { LatencyPoint(t: Double($0), histogram: seconds[$0]!) }
    }
}
