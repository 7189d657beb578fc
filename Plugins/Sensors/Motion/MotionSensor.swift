import SensorKit

/// A multi-sensor built around a PIR motion detector, as in the seed system
/// (`motion`, `light`, `temperature`, `humidity`, `vibration`, `uv`).
///
/// Motion follows occupancy: people arrive in the room at rates that depend on
/// the hour (busy mornings and evenings, quiet nights), stay for a while, and
/// while there they move in bursts of a few seconds with pauses between. The
/// PIR holds "Detected" a few seconds past each burst. Light and UV follow the
/// sun through the window, plus lamps when someone is in at night; vibration
/// picks up footsteps.
public struct MotionSensor: SensorPlugin {
    public init() {}

    /// Seconds the PIR keeps reporting "Detected" after movement stops.
    static let hold = 5.0

    public struct State: Sendable, BitwiseCopyable, ReportingState {
        public internal(set) var clock: ReportingClock
        var climate: IndoorClimate
        var occupancy: Occupancy
        var vibration: Float
        /// Slow variation of light (clouds, curtains) around 1.
        var lightVariation: Float
        /// How much daylight reaches the sensor (window size and aspect), lux at noon.
        var window: Float
        /// UV index reaching the sensor at noon.
        var uvExposure: Float
    }

    public var kind: SensorKind { .motion }
    public var displayName: String { "Motion multi-sensor" }
    public var summary: String {
        "PIR motion sensor with light, UV, vibration and climate; motion comes in bursts while the room is occupied."
    }

    public var fields: [FieldDescriptor] {
        [
            .choice("motion", values: ["Detected", "Not Detected"], summary: "Whether the PIR sees movement"),
            .number("light", unit: "lx", range: 0...20000, decimals: 0, summary: "Illuminance"),
            .number("temperature", unit: "°C", range: -20...60, summary: "Air temperature"),
            .number("humidity", unit: "%", range: 0...100, summary: "Relative humidity"),
            .number("vibration", unit: "g", range: 0...16, decimals: 3, summary: "Vibration amplitude"),
            .number("uv", unit: "UV index", range: 0...15, summary: "Ultraviolet index"),
        ]
    }

    public var alarms: [AlarmDescriptor] { [] }

    public var supportedEvents: [EventDescriptor] {
        [
            EventDescriptor(
                name: "occupancy_burst", summary: "People come into the room and move about.",
                parameters: [EventParameter(name: "duration", summary: "How long they stay", unit: "s", range: 1...86_400, defaultValue: 300)]
            ),
        ]
    }

    public var reporting: ReportingMode { .periodic(interval: 10) }

    public func makeState(at start: Timestamp, random: inout SeededRandom) -> State {
        State(
            clock: ReportingClock(start: start), climate: IndoorClimate(random: &random),
            occupancy: Occupancy(start: start, random: &random),
            vibration: 0.004, lightVariation: 1, window: Float(random.uniform(150...900)), uvExposure: Float(random.uniform(0.3...3))
        )
    }

    public func advance(_ state: inout State, to now: Timestamp, random: inout SeededRandom) {
        let dt = state.clock.advance(to: now)
        guard dt > 0 else { return }
        state.climate.advance(by: dt, at: now, random: &random)
        state.occupancy.advance(to: now, random: &random)
        let moving = state.occupancy.isMoving(at: now, hold: 0)
        let base = moving ? random.uniform(0.03...0.25) : 0.004
        let vibration = Physics.drift(Double(state.vibration), mean: base, deviation: base / 4, tau: 2, dt: dt, random: &random)
        state.vibration = Float(Physics.clamp(vibration, 0...16))
        let variation = Physics.drift(Double(state.lightVariation), mean: 1, deviation: 0.08, tau: 300, dt: dt, random: &random)
        state.lightVariation = Float(Physics.clamp(variation, 0.5...1.5))
    }

    public func report(_ state: inout State, at now: Timestamp) -> SensorSample? {
        state.clock.recordReport(at: now)
        let daylight = Physics.daylight(now)
        let hour = Physics.hour(now)
        let lamps = state.occupancy.isOccupied(at: now) && (hour < 7 || hour > 17) ? 250.0 : 0
        return SensorSample([
            .text(state.occupancy.isMoving(at: now, hold: Self.hold) ? "Detected" : "Not Detected"),
            .number(Physics.clamp(daylight * Double(state.window * state.lightVariation) + lamps, 0...20000)),
            .number(Double(state.climate.temperature)),
            .number(Double(state.climate.humidity)),
            .number(Double(state.vibration)),
            .number(Physics.clamp(daylight * Double(state.uvExposure * state.lightVariation), 0...15)),
        ])
    }

    public func apply(_ event: SensorEvent, to state: inout State, random: inout SeededRandom) {
        if event.name == "occupancy_burst" {
            state.occupancy.arrive(at: state.clock.now, staying: event.parameters["duration"] ?? 300, random: &random)
        }
    }
}
