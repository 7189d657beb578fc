/// How one gate of the scenario fared: what it demanded, what was measured,
/// and whether that holds. Written so that the line alone tells a person
/// what failed: "p99_latency < 50ms: observed 73.2ms — FAILED".
public struct GateResult: Codable, Sendable, Equatable {
    /// The gate as written, e.g. `p99_latency < 50ms (stage peak)`.
    public var name: String
    /// The metric, e.g. `p99_latency`.
    public var metric: String
    public var stage: String?
    /// The condition as written, e.g. `< 50ms`.
    public var threshold: String
    /// The measured figure in the threshold's base unit (seconds, a count,
    /// a fraction, or per second); nil when nothing could be measured.
    public var observed: Double?
    /// The measured figure as people write it, e.g. `73.2ms`, `12 (0.02%)`.
    public var observedText: String
    public var passed: Bool
    /// Where the gate was written, `FILE:LINE:COL`, if known.
    public var location: String?
    /// Why a gate could not be judged, if so.
    public var note: String?

    public init(name: String, metric: String, stage: String? = nil, threshold: String, observed: Double?, observedText: String, passed: Bool, location: String? = nil, note: String? = nil) {
        self.name = name
        self.metric = metric
        self.stage = stage
        self.threshold = threshold
        self.observed = observed
        self.observedText = observedText
        self.passed = passed
        self.location = location
        self.note = note
    }

    /// One line for the terminal and for JUnit failure messages.
    public var line: String {
        var text = "\(name): observed \(observedText) — \(passed ? "passed" : "FAILED")"
        if let note { text += " (\(note))" }
        return text
    }
}
