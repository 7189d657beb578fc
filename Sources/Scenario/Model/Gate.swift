/// A pass/fail threshold on one measured number, such as
/// `p99_latency: "< 50ms"`. A run whose gates all hold exits 0; any failed
/// gate makes it exit 3, which is how CI catches regressions.
public struct Gate: Equatable, Sendable, CustomStringConvertible {
    public var metric: GateMetric
    public var comparison: Comparison
    public var threshold: Threshold
    /// The stage it judges, or nil for the whole run (measured stages only).
    public var stage: String?
    public var location: SourceLocation

    public init(metric: GateMetric, comparison: Comparison, threshold: Threshold, stage: String? = nil, location: SourceLocation = .unknown) {
        self.metric = metric
        self.comparison = comparison
        self.threshold = threshold
        self.stage = stage
        self.location = location
    }

    /// Whether a measurement passes. `measured` is in the threshold's base
    /// unit: seconds for ``Threshold/duration(_:)``, a count for
    /// ``Threshold/count(_:)``, a fraction of messages sent (0.001 = 0.1 %)
    /// for ``Threshold/fraction(_:)`` and messages per second for
    /// ``Threshold/rate(_:)``.
    public func isSatisfied(by measured: Double) -> Bool {
        comparison.holds(measured, threshold.baseValue)
    }

    /// The condition as written: `< 50ms`, `== 0`, `>= 9000/s`.
    public var expression: String { "\(comparison.rawValue) \(threshold.scenarioText)" }

    /// `p99_latency < 50ms`, or `p99_latency < 50ms (stage peak)`.
    public var description: String {
        "\(metric.rawValue) \(expression)" + (stage.map { " (stage \($0))" } ?? "")
    }

    public enum Comparison: String, CaseIterable, Equatable, Sendable {
        case lessThan = "<"
        case atMost = "<="
        case equal = "=="
        case atLeast = ">="
        case greaterThan = ">"

        public func holds(_ measured: Double, _ threshold: Double) -> Bool {
            switch self {
            case .lessThan: measured < threshold
            case .atMost: measured <= threshold
            case .equal: measured == threshold
            case .atLeast: measured >= threshold
            case .greaterThan: measured > threshold
            }
        }
    }

    public enum Threshold: Equatable, Sendable {
        case duration(Duration)
        case count(Int)
        /// A share of the messages sent, 0...1.
        case fraction(Double)
        /// Total messages per second.
        case rate(Double)

        public var baseValue: Double {
            switch self {
            case .duration(let duration): duration.secondsValue
            case .count(let count): Double(count)
            case .fraction(let fraction): fraction
            case .rate(let perSecond): perSecond
            }
        }

        public var scenarioText: String {
            switch self {
            case .duration(let duration): duration.scenarioText
            case .count(let count): "\(count)"
            case .fraction(let fraction): Rate.format(fraction * 100) + "%"
            case .rate(let perSecond): Rate.total(perSecond).scenarioText
            }
        }
    }
}

/// What a gate measures.
public enum GateMetric: String, CaseIterable, Equatable, Sendable {
    /// End-to-end latency percentiles: intended send time to stored.
    case p50Latency = "p50_latency"
    case p99Latency = "p99_latency"
    case p999Latency = "p999_latency"
    /// Readings sent but never stored (by sequence number).
    case loss
    /// Readings stored more than once.
    case duplicates
    /// Redis `evicted_keys` during the run.
    case evictions
    /// Readings stored per second.
    case throughput
    /// p99 of the time from a sensor event to its alarm on MQTT.
    case alarmLatency = "alarm_latency"

    /// What kind of threshold the metric takes, for parsing and messages.
    public var unit: Unit {
        switch self {
        case .p50Latency, .p99Latency, .p999Latency, .alarmLatency: .duration
        case .loss, .duplicates: .countOrPercentage
        case .evictions: .count
        case .throughput: .rate
        }
    }

    public enum Unit: Equatable, Sendable {
        case duration, count, countOrPercentage, rate
    }
}
