/// One stretch of a run with a load shape: warm-up, constant, ramp, step,
/// spike or soak.
///
/// Rates keep their basis (per sensor or total) here; ``RateSchedule`` turns
/// them into totals. Stages have unique names so that reports and per-stage
/// gates can say which stretch a number belongs to.
public struct Stage: Equatable, Sendable {
    public var name: String
    public var duration: Duration
    public var shape: Shape
    /// Whether latency, loss and throughput from this stage count towards
    /// the run's results and gates. Warm-up is excluded by default: it
    /// measures the caches and connections starting, not the system.
    public var measured: Bool

    public init(name: String, duration: Duration, shape: Shape, measured: Bool? = nil) {
        self.name = name
        self.duration = duration
        self.shape = shape
        self.measured = measured ?? (shape.kind != .warmUp)
    }

    public enum Shape: Equatable, Sendable {
        /// Rises evenly from nothing to `to`.
        case warmUp(to: Rate)
        case constant(Rate)
        /// Changes evenly from `from` to `to`.
        case ramp(from: Rate, to: Rate)
        /// `steps` equal plateaus from `from` to `to` (both included), each
        /// lasting an equal share of the stage.
        case step(from: Rate, to: Rate, steps: Int)
        /// `base`, except for `peakDuration` at `peak` starting `peakStart`
        /// into the stage.
        case spike(base: Rate, peak: Rate, peakStart: Duration, peakDuration: Duration)
        /// A constant rate held for long, to find leaks, TTL churn and drift;
        /// it differs from `constant` in intent and in how reports window it.
        case soak(Rate)

        public var kind: Kind {
            switch self {
            case .warmUp: .warmUp
            case .constant: .constant
            case .ramp: .ramp
            case .step: .step
            case .spike: .spike
            case .soak: .soak
            }
        }

        /// Every rate the shape mentions, for limit checks.
        public var rates: [Rate] {
            switch self {
            case .warmUp(let rate), .constant(let rate), .soak(let rate): [rate]
            case .ramp(let from, let to), .step(let from, let to, _): [from, to]
            case .spike(let base, let peak, _, _): [base, peak]
            }
        }

        /// The rate at the end of the stage, where a following ramp or step
        /// starts when it gives no `from`.
        public var finalRate: Rate {
            switch self {
            case .warmUp(let rate), .constant(let rate), .soak(let rate): rate
            case .ramp(_, let to), .step(_, let to, _): to
            case .spike(let base, _, _, _): base
            }
        }
    }

    /// The shape names, as scenario files write them.
    public enum Kind: String, CaseIterable, Equatable, Sendable {
        case warmUp = "warm_up"
        case constant
        case ramp
        case step
        case spike
        case soak
    }
}
