import SensorKit

/// A garage door controller with a tilt sensor, reporting `status` (Door
/// Open/Door Close) as in the seed system, plus the door's `position`.
///
/// The door travels for 12-18 s between ends, reading "Door Open" as soon as it
/// leaves the floor. An `obstruction` (something in the safety beam) stops a
/// moving door where it is, or stops the next movement half-way; the door then
/// stays put, alarmed, until the next command. A door left open for ten
/// minutes raises `open_too_long`. Left alone, residents drive out and back a
/// few times a day.
public struct GarageSensor: SensorPlugin {
    public init() {}

    /// Seconds a door may stay open before `open_too_long`.
    static let openLimit = 600.0
    static let scriptedHold = 3600.0

    public struct State: Sendable, BitwiseCopyable, ReportingState {
        public internal(set) var clock: ReportingClock
        var door: GarageDoor
        var openSince: Timestamp
        /// When residents next press the remote.
        var nextResidentPress: Timestamp
    }

    public var kind: SensorKind { .garage }
    public var displayName: String { "Garage door" }
    public var summary: String {
        "Garage door controller; the door travels for seconds, an obstruction stops it part-way, and a door left open alarms."
    }

    public var fields: [FieldDescriptor] {
        [
            .choice("status", values: ["Door Open", "Door Close"], summary: "Whether the door is open (any gap counts)"),
            .number("position", unit: "%", range: 0...100, decimals: 0, summary: "How far the door is open"),
        ]
    }

    public var alarms: [AlarmDescriptor] {
        [
            AlarmDescriptor(name: "open_too_long", summary: "Door left open",
                            trigger: .device("status has been Door Open for \(Int(Self.openLimit / 60)) minutes")),
            AlarmDescriptor(name: "obstruction", summary: "Door stopped by an obstruction",
                            trigger: .device("an obstruction stopped the door; cleared by the next command")),
        ]
    }

    public var supportedEvents: [EventDescriptor] {
        [
            EventDescriptor(name: "garage_open", summary: "Someone presses open."),
            EventDescriptor(name: "garage_close", summary: "Someone presses close."),
            EventDescriptor(name: "obstruction", summary: "Something blocks the safety beam."),
        ]
    }

    public var reporting: ReportingMode { .periodic(interval: 10) }

    public func makeState(at start: Timestamp, random: inout SeededRandom) -> State {
        State(
            clock: ReportingClock(start: start),
            door: GarageDoor(speed: Float(100 / random.uniform(12...18)), at: start),
            openSince: start,
            nextResidentPress: start.adding(seconds: random.exponential(mean: 4 * 3600))
        )
    }

    public func advance(_ state: inout State, to now: Timestamp, random: inout SeededRandom) {
        guard state.clock.advance(to: now) > 0 else { return }
        if now.seconds(since: state.nextResidentPress) > 86_400 {
            state.nextResidentPress = now.adding(seconds: -3600)
        }
        // Residents press the remote; a stuck (obstructed) door waits for a person.
        while state.nextResidentPress <= now, !state.door.obstructed {
            let time = state.nextResidentPress
            move(&state, to: time)
            let opening = state.door.isClosed
            state.door.command(opening ? .opening : .closing)
            // Out (or in) with the car, then close behind; next trip hours later.
            let pause = opening ? random.uniform(30...180) : random.exponential(mean: 4 * 3600)
            state.nextResidentPress = time.adding(seconds: pause)
        }
        move(&state, to: now)
    }

    /// Runs the motor to `time`, noting when the door left the floor.
    private func move(_ state: inout State, to time: Timestamp) {
        let wasClosed = state.door.isClosed
        state.door.run(until: time)
        if wasClosed, !state.door.isClosed { state.openSince = state.door.leftFloorAt }
    }

    public func report(_ state: inout State, at now: Timestamp) -> SensorSample? {
        state.clock.recordReport(at: now)
        var alarms = AlarmSet()
        if !state.door.isClosed, now.seconds(since: state.openSince) >= Self.openLimit { alarms.insert(AlarmSet(index: 0)) }
        if state.door.obstructed { alarms.insert(AlarmSet(index: 1)) }
        return SensorSample(
            [.text(state.door.isClosed ? "Door Close" : "Door Open"), .number(Double(state.door.position))],
            deviceAlarms: alarms
        )
    }

    public func apply(_ event: SensorEvent, to state: inout State, random: inout SeededRandom) {
        switch event.name {
        case "garage_open": state.door.command(.opening)
        case "garage_close": state.door.command(.closing)
        case "obstruction": state.door.obstruct()
        default: return
        }
        if event.name != "obstruction" { state.nextResidentPress = state.clock.now.adding(seconds: Self.scriptedHold) }
    }
}
