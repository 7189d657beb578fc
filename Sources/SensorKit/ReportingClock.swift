/// The bookkeeping every device needs to say when it is due: when it last
/// reported, and the simulated time its physics has reached. Sixteen bytes,
/// kept inside each plugin's state.
@frozen
public struct ReportingClock: Sendable, Hashable, BitwiseCopyable {
    /// The time the physics has been advanced to.
    public private(set) var now: Timestamp
    /// When the device last reported; nil-free for state size: equal to `never`
    /// until the first report.
    public private(set) var lastReport: Timestamp

    static let never = Timestamp(nanosecondsSinceEpoch: .min)

    public init(start: Timestamp) {
        now = start
        lastReport = Self.never
    }

    public var hasReported: Bool { lastReport != Self.never }

    /// Moves the clock to `time` and returns the elapsed seconds; zero (and no
    /// change) if `time` is not later, which is how rule 4 of `SensorPlugin`
    /// (time only moves forward) is kept by every plugin.
    public mutating func advance(to time: Timestamp) -> Double {
        guard time > now else { return 0 }
        defer { now = time }
        return time.seconds(since: now)
    }

    public mutating func recordReport(at time: Timestamp) { lastReport = time }

    /// For a `.periodic` device: one interval after the last report, or now if
    /// it has never reported.
    public func nextPeriodicReport(interval: Double) -> Timestamp {
        hasReported ? lastReport.adding(seconds: interval) : now
    }
}

/// Per-sensor state that keeps a `ReportingClock` as `clock`. Plugins whose
/// state does get `nextDue` for free from their declared `reporting`, so the
/// interval is written once.
public protocol ReportingState {
    var clock: ReportingClock { get }
}

extension SensorPlugin where State: ReportingState {
    /// `.periodic`: one interval after the last report. `.onChange`: the next
    /// heartbeat; a plugin that knows of changes ahead should say so itself.
    public func nextDue(_ state: State) -> Timestamp {
        switch reporting {
        case .periodic(let interval):
            return state.clock.nextPeriodicReport(interval: interval)
        case .onChange(_, let heartbeat):
            return state.clock.nextPeriodicReport(interval: heartbeat)
        }
    }
}
