/// A kind of sensor: what it reports, and how it behaves over time.
///
/// A plugin is a small immutable value (usually an empty struct) that describes
/// a device and drives any number of simulated devices of that kind. Each device
/// keeps its own `State`; the harness owns that state and hands it back on every
/// call, so one plugin value serves a million sensors.
///
/// ## Rules for implementers
///
/// These are what the harness, the subscriber and the conformance test
/// (`SensorKitTests.PluginConformanceTests`) rely on. Break one and load tests
/// silently measure the wrong thing.
///
/// 1. **Declarations are the truth.** `fields`, `alarms`, `supportedEvents` and
///    `reporting` must be constant for the life of the process. Every value a
///    sample carries must be of its field's declared type, within its declared
///    range and, for a state field, one of its declared values. Samples list
///    values in the order of `fields`. Use the seed system's field names.
/// 2. **State is small plain data.** `State` is a value type of at most 256 bytes
///    (`MemoryLayout<State>.size`) with no references: use `Float`, small integers,
///    `Timestamp` and enums with raw values, never `String` or arrays. A million
///    sensors must fit in memory, and run-time plugins copy state as bytes.
/// 3. **Deterministic.** All randomness comes from the `SeededRandom` passed in;
///    never read a clock, the system random source or global mutable state.
///    The same seed, the same call times and the same events give the same
///    samples, bit for bit.
/// 4. **Time only moves forward.** `advance(_:to:random:)` brings the physics up
///    to `now`. If `now` is not later than the state's time it must change
///    nothing. Physics must not depend on how finely time is sliced beyond
///    ordinary integration error (step long gaps internally if needed).
/// 5. **Behave like the device, not like noise.** Values drift, respond to events
///    over realistic times and stay physically plausible.
/// 6. **Alarms follow the declared rules.** Rule-based alarms (`.above`, `.below`,
///    `.states`) are evaluated for you with hysteresis; put only `.device` alarms
///    in `SensorSample.deviceAlarms`, and only while the device logic holds them.
/// 7. **Events are pre-checked.** `apply(_:to:random:)` only receives events
///    named in `supportedEvents`, with every declared parameter present (defaults
///    filled in) and within range, and always just after `advance` to the event's
///    time. It must not trap on any such event in any state.
/// 8. **Say when you are due.** `nextDue(_:)` is the earliest time at which the
///    device has something to report. A `.periodic` device reports whenever asked;
///    an `.onChange` device returns nil from `report` until a debounced change or
///    its heartbeat is due, so a scheduler can sleep until `nextDue`. A state
///    that keeps a `ReportingClock` and conforms to `ReportingState` gets
///    `nextDue` from `reporting`; override it only to announce changes ahead.
/// 9. **No I/O, no locks, no allocation beyond the sample's array.** These calls
///    run on the harness's hot path, synchronously, with no Task per message.
///
/// Drive plugins through `AnySensorPlugin` and `SensorGroup` (type-erased, one
/// group holds the states of many sensors of one kind) rather than calling these
/// requirements directly: the group keeps `seq`, alarm hysteresis and the
/// advance-before-event rule in one place.
public protocol SensorPlugin: Sendable {
    /// Per-sensor state; see rule 2.
    associatedtype State: BitwiseCopyable & Sendable

    var kind: SensorKind { get }
    /// A name for people: "Fire & CO detector".
    var displayName: String { get }
    /// One sentence on what the device is and how it behaves.
    var summary: String { get }
    /// The value fields of the payload, in payload order.
    var fields: [FieldDescriptor] { get }
    /// The alarms this kind can raise (bit i of an `AlarmSet` is `alarms[i]`).
    var alarms: [AlarmDescriptor] { get }
    /// The scenario events this kind understands.
    var supportedEvents: [EventDescriptor] { get }
    var reporting: ReportingMode { get }

    /// A fresh device at `start`, with its individual quirks drawn from `random`.
    func makeState(at start: Timestamp, random: inout SeededRandom) -> State
    /// Runs the device's physics forward to `now` (rule 4).
    func advance(_ state: inout State, to now: Timestamp, random: inout SeededRandom)
    /// What the device reports at `now` (already advanced to), or nil if it
    /// stays silent (rule 8). Records that it reported, when that matters.
    func report(_ state: inout State, at now: Timestamp) -> SensorSample?
    /// The earliest time the device has something to report (rule 8).
    func nextDue(_ state: State) -> Timestamp
    /// Applies a checked event at the state's current time (rule 7).
    func apply(_ event: SensorEvent, to state: inout State, random: inout SeededRandom)
}

extension SensorPlugin {
    /// The plugin's declarations as one value.
    public var descriptor: SensorDescriptor {
        SensorDescriptor(
            kind: kind, displayName: displayName, summary: summary, fields: fields,
            alarms: alarms, events: supportedEvents, reporting: reporting
        )
    }
}

/// What a device says at one moment, before it is dressed as a `Reading`.
public struct SensorSample: Sendable, Hashable {
    /// One value per declared field, in declared order.
    public var values: [FieldValue]
    /// Alarms decided by device logic (`.device` triggers) that are active now.
    public var deviceAlarms: AlarmSet

    public init(_ values: [FieldValue], deviceAlarms: AlarmSet = []) {
        self.values = values
        self.deviceAlarms = deviceAlarms
    }
}

/// A value of a payload field.
public enum FieldValue: Sendable, Hashable, CustomStringConvertible {
    case number(Double)
    /// A state such as `"Moderate"` or `"Door Open"`.
    case text(String)

    public var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    public var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    public var description: String {
        switch self {
        case .number(let value): return value.compactDescription
        case .text(let value): return value
        }
    }
}
