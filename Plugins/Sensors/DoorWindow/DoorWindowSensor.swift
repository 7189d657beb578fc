import SensorKit

/// A magnetic contact on a door or window, as in the seed system (`status`
/// Open/Close).
///
/// Event-driven like the real device: it reports a change once the contact has
/// been stable for the debounce time (a door that bounces or is opened and shut
/// within it reports nothing), and otherwise only a heartbeat every 15 minutes.
/// Left alone, residents open and close it now and then, more by day than at
/// night; a scenario's `open`/`close` takes over and quiets that for an hour.
public struct DoorWindowSensor: SensorPlugin {
    public init() {}

    static let debounce = 0.5
    static let heartbeat = 900.0
    /// The longest a contact takes to settle after it moves.
    static let maxBounce = 0.15
    /// How long a scripted `open` or `close` holds before residents act again.
    static let scriptedHold = 3600.0

    public struct State: Sendable, BitwiseCopyable {
        var clock: ReportingClock
        /// The contact as it physically is, and since when (after bounce).
        var isOpen: Bool
        var stableSince: Timestamp
        /// The state last reported.
        var reportedOpen: Bool
        /// When residents next open or close it.
        var nextResidentToggle: Timestamp
    }

    public var kind: SensorKind { .doorWindow }
    public var displayName: String { "Door/window contact" }
    public var summary: String {
        "Magnetic contact; reports debounced changes as they happen plus a heartbeat, not periodic samples."
    }

    public var fields: [FieldDescriptor] {
        [.choice("status", values: ["Open", "Close"], summary: "Whether the door or window is open")]
    }

    public var alarms: [AlarmDescriptor] { [] }

    public var supportedEvents: [EventDescriptor] {
        [
            EventDescriptor(name: "open", summary: "Someone opens the door or window."),
            EventDescriptor(name: "close", summary: "Someone closes the door or window."),
        ]
    }

    public var reporting: ReportingMode { .onChange(debounce: Self.debounce, heartbeat: Self.heartbeat) }

    public func makeState(at start: Timestamp, random: inout SeededRandom) -> State {
        var state = State(
            clock: ReportingClock(start: start), isOpen: false, stableSince: start, reportedOpen: false, nextResidentToggle: start
        )
        state.nextResidentToggle = nextToggle(after: start, isOpen: false, random: &random)
        return state
    }

    /// Residents leave a door open for tens of seconds; they open it about every
    /// 40 minutes by day and every 8 hours at night.
    func nextToggle(after time: Timestamp, isOpen: Bool, random: inout SeededRandom) -> Timestamp {
        if isOpen { return time.adding(seconds: 3 + random.exponential(mean: 25)) }
        let hour = Physics.hour(time)
        let mean = (7..<23).contains(hour) ? 40 * 60.0 : 8 * 3600.0
        return time.adding(seconds: random.exponential(mean: mean))
    }

    public func advance(_ state: inout State, to now: Timestamp, random: inout SeededRandom) {
        guard state.clock.advance(to: now) > 0 else { return }
        // After a long gap only the last toggles matter; skip ahead rather than replay days.
        if now.seconds(since: state.nextResidentToggle) > 86_400 {
            state.nextResidentToggle = now.adding(seconds: -3600)
        }
        while state.nextResidentToggle <= now {
            let time = state.nextResidentToggle
            state.isOpen.toggle()
            state.stableSince = time.adding(seconds: random.uniform(0.01...Self.maxBounce))
            state.nextResidentToggle = nextToggle(after: time, isOpen: state.isOpen, random: &random)
        }
    }

    public func report(_ state: inout State, at now: Timestamp) -> SensorSample? {
        let changed = state.isOpen != state.reportedOpen && now.seconds(since: state.stableSince) >= Self.debounce
        let heartbeat = !state.clock.hasReported || now >= state.clock.lastReport.adding(seconds: Self.heartbeat)
        guard changed || heartbeat else { return nil }
        state.reportedOpen = state.isOpen
        state.clock.recordReport(at: now)
        return SensorSample([.text(state.isOpen ? "Open" : "Close")])
    }

    public func nextDue(_ state: State) -> Timestamp {
        guard state.clock.hasReported else { return state.clock.now }
        let heartbeat = state.clock.lastReport.adding(seconds: Self.heartbeat)
        if state.isOpen != state.reportedOpen { return min(heartbeat, state.stableSince.adding(seconds: Self.debounce)) }
        return min(heartbeat, state.nextResidentToggle.adding(seconds: Self.maxBounce + Self.debounce))
    }

    public func apply(_ event: SensorEvent, to state: inout State, random: inout SeededRandom) {
        let open = event.name == "open"
        let now = state.clock.now
        if open != state.isOpen {
            state.isOpen = open
            // The contact settles within tens of milliseconds after it moves.
            state.stableSince = now.adding(seconds: random.uniform(0.01...Self.maxBounce))
        }
        state.nextResidentToggle = now.adding(seconds: Self.scriptedHold)
    }
}
