/// The stretches of a reading's journey that hearth times.
///
/// An open-loop scheduler gives every reading an intended send time. Timing
/// from that moment (``endToEnd``) is the coordinated-omission-corrected
/// figure: a stalled publisher cannot hide the stall by sending late. Timing
/// from the actual send (``endToEndUncorrected``) is what a closed-loop tool
/// would have reported; the gap between the two is the harness's own lag.
public enum LatencySpan: String, CaseIterable, Codable, Sendable {
    /// Intended send time → handed to MQTT or XADD: publisher lag.
    case intendedToSent = "intended_to_sent"
    /// Sent → received by the subscriber: broker or stream transit.
    case sentToReceived = "sent_to_received"
    /// Received → written to Redis (decrypt, validate, pipeline flush).
    case receivedToStored = "received_to_stored"
    /// Intended send time → stored: what latency gates judge.
    case endToEnd = "end_to_end"
    /// Actual send time → stored.
    case endToEndUncorrected = "end_to_end_uncorrected"

    public var label: String {
        switch self {
        case .intendedToSent: "intended → sent"
        case .sentToReceived: "sent → received"
        case .receivedToStored: "received → stored"
        case .endToEnd: "end to end (from intended time)"
        case .endToEndUncorrected: "end to end (from actual send)"
        }
    }
}

/// One measured latency distribution: its percentiles for people and its
/// histogram for merging.
public struct LatencyRecord: Codable, Sendable, Equatable {
    public var span: LatencySpan
    /// The stage, or nil for all measured stages together.
    public var stage: String?
    /// The sensor kind (`fire_co`, …), or nil for all kinds together.
    public var kind: String?
    public var summary: LatencySummary
    public var histogram: EncodedHistogram

    public init(span: LatencySpan, stage: String? = nil, kind: String? = nil, histogram: LatencyHistogram) {
        self.span = span
        self.stage = stage
        self.kind = kind
        self.summary = histogram.latencySummary
        self.histogram = EncodedHistogram(histogram)
    }

    /// What this record is about, e.g. "end to end (from intended time), stage peak, fire_co".
    public var label: String {
        var parts = [span.label]
        parts.append(stage.map { "stage \($0)" } ?? "measured stages")
        parts.append(kind ?? "all kinds")
        return parts.joined(separator: ", ")
    }

    /// Identifies the record across reports (compare, merge).
    public var identity: String { "\(span.rawValue)|\(stage ?? "*")|\(kind ?? "*")" }
}

/// End-to-end latency during one second of the run. The second's histogram
/// is kept so shard timelines merge exactly.
public struct LatencyPoint: Codable, Sendable, Equatable {
    /// Seconds since the run started (the start of this second).
    public var t: Double
    public var count: Int
    public var p50Ms: Double
    public var p99Ms: Double
    public var p999Ms: Double
    public var maxMs: Double
    public var histogram: EncodedHistogram

    public init(t: Double, histogram: LatencyHistogram) {
        let summary = histogram.latencySummary
        self.t = t
        self.count = summary.count
        self.p50Ms = summary.p50Ms
        self.p99Ms = summary.p99Ms
        self.p999Ms = summary.p999Ms
        self.maxMs = summary.maxMs
        self.histogram = EncodedHistogram(histogram)
    }
}
