import SensorKit

/// A combined smoke and carbon-monoxide detector with temperature and humidity,
/// as in the seed system (`co_detection`, `smart_level`, `temperature`,
/// `humidity`).
///
/// Without a fire it reads a room: a few ppm of CO, Low smoke, drifting
/// temperature and humidity. A `fire_start` grows a fire over tens of seconds:
/// CO and heat rise with a lag, smoke thickens from Low through Moderate to
/// High. Alarms follow UL 2034-like levels: CO at 70 ppm, smoke at High; they
/// clear only once CO is back under 30 ppm and smoke is Low again, minutes
/// after `fire_stop`.
public struct FireCOSensor: SensorPlugin {
    public init() {}

    public struct State: Sendable, BitwiseCopyable, ReportingState {
        public internal(set) var clock: ReportingClock
        var climate: IndoorClimate
        /// Background CO in ppm (cooking, traffic), drifting.
        var backgroundCO: Float
        var co: Float
        /// Smoke obscuration on a 0-100 scale; `smoke` is its reported level.
        var obscuration: Float
        var smoke: SmokeLevel
        /// Extra heat from a fire in °C.
        var fireHeat: Float
        /// 0 (no fire) to 1 (fully developed).
        var intensity: Float
        var burning: Bool
        /// How fast this room's fires grow (fuel, ventilation), drawn per sensor.
        var growth: Float
    }

    public var kind: SensorKind { .fireCO }
    public var displayName: String { "Fire & CO detector" }
    public var summary: String {
        "Smoke and carbon-monoxide detector; a fire escalates CO, heat and smoke over tens of seconds and alarms with hysteresis."
    }

    public var fields: [FieldDescriptor] {
        [
            .number("co_detection", unit: "ppm", range: 0...1000, summary: "Carbon monoxide concentration"),
            .choice("smart_level", values: SmokeLevel.labels, summary: "Smoke level"),
            .number("temperature", unit: "°C", range: -20...120, summary: "Air temperature at the detector"),
            .number("humidity", unit: "%", range: 0...100, summary: "Relative humidity"),
        ]
    }

    public var alarms: [AlarmDescriptor] {
        [
            AlarmDescriptor(name: "co", summary: "Dangerous carbon monoxide level",
                            trigger: .above(field: "co_detection", raise: 70, clear: 30)),
            AlarmDescriptor(name: "smoke", summary: "Dense smoke",
                            trigger: .states(field: "smart_level", raise: [SmokeLevel.high.label], clear: [SmokeLevel.low.label])),
        ]
    }

    public var supportedEvents: [EventDescriptor] {
        [
            EventDescriptor(name: "fire_start", summary: "A fire starts near the detector and grows."),
            EventDescriptor(name: "fire_stop", summary: "The fire is put out; smoke, heat and CO decay over minutes."),
        ]
    }

    public var reporting: ReportingMode { .periodic(interval: 10) }

    public func makeState(at start: Timestamp, random: inout SeededRandom) -> State {
        let background = Float(random.uniform(0.5...3))
        return State(
            clock: ReportingClock(start: start), climate: IndoorClimate(random: &random),
            backgroundCO: background, co: background, obscuration: Float(random.uniform(0...3)), smoke: .low,
            fireHeat: 0, intensity: 0, burning: false, growth: Float(random.uniform(0.75...1.3))
        )
    }

    public func advance(_ state: inout State, to now: Timestamp, random: inout SeededRandom) {
        let dt = state.clock.advance(to: now)
        guard dt > 0 else { return }
        state.climate.advance(by: dt, at: now, random: &random)
        let intensity = Physics.approach(
            Double(state.intensity), state.burning ? 1 : 0, tau: state.burning ? 45 / Double(state.growth) : 90, dt: dt
        )
        state.intensity = Float(intensity)
        state.backgroundCO = Float(max(0, Physics.drift(
            Double(state.backgroundCO), mean: 1.5, deviation: 0.8, tau: 900, dt: dt, random: &random
        )))
        let coTarget = Double(state.backgroundCO) + 450 * intensity
        let co = Physics.approach(Double(state.co), coTarget, tau: 15, dt: dt) + random.normal() * 0.2 * min(dt, 1)
        state.co = Float(Physics.clamp(co, 0...1000))
        let smokeTarget = 100 * intensity + 1.5
        state.obscuration = Float(Physics.clamp(Physics.approach(Double(state.obscuration), smokeTarget, tau: 8, dt: dt), 0...100))
        state.smoke = state.smoke.next(obscuration: state.obscuration)
        state.fireHeat = Float(Physics.approach(Double(state.fireHeat), 45 * intensity, tau: 30, dt: dt))
    }

    public func report(_ state: inout State, at now: Timestamp) -> SensorSample? {
        state.clock.recordReport(at: now)
        let humidity = Double(state.climate.humidity) - 25 * Double(state.intensity)
        return SensorSample([
            .number(Double(state.co)),
            .text(state.smoke.label),
            .number(Physics.clamp(Double(state.climate.temperature + state.fireHeat), -20...120)),
            .number(Physics.clamp(humidity, 0...100)),
        ])
    }

    public func apply(_ event: SensorEvent, to state: inout State, random: inout SeededRandom) {
        switch event.name {
        case "fire_start": state.burning = true
        case "fire_stop": state.burning = false
        default: break
        }
    }
}
