import SensorKit

/// A room thermostat reporting `temperature` and `humidity` as in the seed
/// system, plus the `setpoint` it is holding.
///
/// The room is a thermal mass: it leaks heat to an outdoor temperature that
/// follows a daily cycle, and the HVAC heats or cools at a limited rate with a
/// dead band around the setpoint. So the temperature hovers around the
/// setpoint, sags and swells with the day, and after a `setpoint` change climbs
/// or falls over tens of minutes rather than jumping.
public struct ThermostatSensor: SensorPlugin {
    public init() {}

    /// Half-width of the dead band in °C: heating starts below setpoint - band.
    static let band = 0.4
    /// Longest integration step in seconds, so the HVAC switches on time.
    static let maxStep = 20.0

    public struct State: Sendable, BitwiseCopyable, ReportingState {
        public internal(set) var clock: ReportingClock
        var temperature: Float
        var humidity: Float
        var setpoint: Float
        var hvac: HVAC
        /// This house's climate: mean outdoor temperature and how quickly the
        /// room loses heat to it (1/s), drawn per sensor.
        var outdoorMean: Float
        var heatLoss: Float
        /// °C per second the HVAC adds or removes at full power.
        var hvacRate: Float
    }

    enum HVAC: Int8, Sendable, BitwiseCopyable {
        case cooling = -1, idle = 0, heating = 1
    }

    public var kind: SensorKind { .thermostat }
    public var displayName: String { "Thermostat" }
    public var summary: String {
        "Room thermostat; temperature follows the setpoint through heating and cooling dynamics and a daily outdoor cycle."
    }

    public var fields: [FieldDescriptor] {
        [
            .number("temperature", unit: "°C", range: -10...50, summary: "Room temperature"),
            .number("humidity", unit: "%", range: 0...100, summary: "Relative humidity"),
            .number("setpoint", unit: "°C", range: 5...35, summary: "Temperature the thermostat is holding"),
        ]
    }

    public var alarms: [AlarmDescriptor] {
        [
            AlarmDescriptor(name: "overheat", summary: "Room dangerously hot",
                            trigger: .above(field: "temperature", raise: 32, clear: 30)),
            AlarmDescriptor(name: "freeze", summary: "Room cold enough for pipes to freeze",
                            trigger: .below(field: "temperature", raise: 7, clear: 9)),
        ]
    }

    public var supportedEvents: [EventDescriptor] {
        [
            EventDescriptor(
                name: "setpoint", summary: "Someone sets a new target temperature.",
                parameters: [EventParameter(name: "value", summary: "The new setpoint", unit: "°C", range: 5...35)]
            ),
        ]
    }

    public var reporting: ReportingMode { .periodic(interval: 60) }

    public func makeState(at start: Timestamp, random: inout SeededRandom) -> State {
        let setpoint = Float((random.uniform(19...23) * 2).rounded() / 2)
        let timeConstant = random.uniform(3 * 3600...6 * 3600)
        // HVAC is sized to hold 40-50 °C against outdoors at full power, as
        // for a design winter day; the rate follows from the room's time constant.
        let capacity = random.uniform(40...50)
        return State(
            clock: ReportingClock(start: start),
            temperature: setpoint + Float(random.uniform(-0.3...0.3)),
            humidity: Float(random.uniform(38...52)),
            setpoint: setpoint, hvac: .idle,
            outdoorMean: Float(random.uniform(2...16)),
            heatLoss: Float(1 / timeConstant),
            hvacRate: Float(capacity / timeConstant)
        )
    }

    public func advance(_ state: inout State, to now: Timestamp, random: inout SeededRandom) {
        let dt = state.clock.advance(to: now)
        guard dt > 0 else { return }
        // Long gaps: keep the step count bounded; the HVAC then cycles coarsely,
        // which only the first reading after the gap can notice.
        let steps = min(Int((dt / Self.maxStep).rounded(.up)), 5000)
        let step = dt / Double(steps)
        var temperature = Double(state.temperature)
        for index in 1...steps {
            let time = now.adding(seconds: -step * Double(steps - index))
            let outdoor = Double(state.outdoorMean) + 6 * Physics.dailyCycle(time, peakHour: 15)
            state.hvac = nextHVAC(state.hvac, temperature: temperature, setpoint: Double(state.setpoint))
            let power = Double(state.hvac.rawValue) * Double(state.hvacRate)
            temperature += (Double(state.heatLoss) * (outdoor - temperature) + power) * step
        }
        temperature += random.normal() * 0.02 * min(dt, 60).squareRoot()
        state.temperature = Float(Physics.clamp(temperature, -10...50))
        let humidityTarget = 45 - 0.8 * (temperature - 21) - 3 * Physics.dailyCycle(now, peakHour: 15)
        let humidity = Physics.drift(Double(state.humidity), mean: humidityTarget, deviation: 2, tau: 3600, dt: dt, random: &random)
        state.humidity = Float(Physics.clamp(humidity, 15...85))
    }

    /// Bang-bang control with a dead band, as thermostats do it: start below
    /// (or above) the band, stop just past the setpoint.
    func nextHVAC(_ hvac: HVAC, temperature: Double, setpoint: Double) -> HVAC {
        switch hvac {
        case .heating where temperature < setpoint + 0.1, .cooling where temperature > setpoint - 0.1:
            return hvac
        default:
            if temperature < setpoint - Self.band { return .heating }
            if temperature > setpoint + Self.band { return .cooling }
            return .idle
        }
    }

    public func report(_ state: inout State, at now: Timestamp) -> SensorSample? {
        state.clock.recordReport(at: now)
        return SensorSample([.number(Double(state.temperature)), .number(Double(state.humidity)), .number(Double(state.setpoint))])
    }

    public func apply(_ event: SensorEvent, to state: inout State, random: inout SeededRandom) {
        if event.name == "setpoint", let value = event.parameters["value"] {
            state.setpoint = Float(value)
        }
    }
}
