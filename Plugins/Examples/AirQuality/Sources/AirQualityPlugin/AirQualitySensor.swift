import SensorKit

/// An indoor air-quality monitor: CO2 from people breathing, fine particles
/// from cooking. The example of a sensor kind that hearth does not ship,
/// written only against SensorKit and loaded from a shared library.
///
/// CO2 rises while people are in (each adds a steady flow) and decays towards
/// outdoor air (about 420 ppm) at the room's ventilation rate; `ventilate`
/// opens the windows and speeds that up for half an hour. `cooking` puts a
/// burst of PM2.5 into the air that settles over tens of minutes.
public struct AirQualitySensor: SensorPlugin {
    public init() {}

    public struct State: Sendable, BitwiseCopyable, ReportingState {
        public internal(set) var clock: ReportingClock
        var co2: Float
        var pm25: Float
        var occupants: UInt8
        var ventilatedUntil: Timestamp
        /// Air changes per hour of this room with windows shut.
        var airChanges: Float
    }

    public var kind: SensorKind { SensorKind("air_quality") }
    public var displayName: String { "Air quality monitor" }
    public var summary: String { "CO2 and PM2.5 monitor; CO2 builds up with people in the room, PM2.5 spikes with cooking." }

    public var fields: [FieldDescriptor] {
        [
            .number("co2", unit: "ppm", range: 350...5000, decimals: 0, summary: "Carbon dioxide"),
            .number("pm25", unit: "µg/m³", range: 0...1000, summary: "Fine particulate matter (PM2.5)"),
            .choice("air_quality", values: ["Good", "Fair", "Poor"], summary: "Overall air quality"),
        ]
    }

    public var alarms: [AlarmDescriptor] {
        [AlarmDescriptor(name: "stuffy", summary: "CO2 high: ventilate", trigger: .above(field: "co2", raise: 1500, clear: 1000))]
    }

    public var supportedEvents: [EventDescriptor] {
        [
            EventDescriptor(
                name: "people", summary: "The number of people in the room changes.",
                parameters: [EventParameter(name: "count", summary: "People now in the room", unit: "people", range: 0...30)]
            ),
            EventDescriptor(name: "cooking", summary: "Someone fries something."),
            EventDescriptor(name: "ventilate", summary: "Windows open for half an hour."),
        ]
    }

    public var reporting: ReportingMode { .periodic(interval: 30) }

    public func makeState(at start: Timestamp, random: inout SeededRandom) -> State {
        State(
            clock: ReportingClock(start: start), co2: Float(random.uniform(450...650)), pm25: Float(random.uniform(3...8)),
            occupants: 0, ventilatedUntil: start, airChanges: Float(random.uniform(0.3...0.8))
        )
    }

    public func advance(_ state: inout State, to now: Timestamp, random: inout SeededRandom) {
        let dt = state.clock.advance(to: now)
        guard dt > 0 else { return }
        let airChanges = Double(state.airChanges) * (now < state.ventilatedUntil ? 8 : 1)
        let tau = 3600 / airChanges
        // A person adds about 0.3 ppm/s in a 50 m³ room; at equilibrium the
        // excess over outdoor air is that source times the time constant.
        let target = 420 + Double(state.occupants) * 0.3 * tau
        state.co2 = Float(Physics.clamp(Physics.approach(Double(state.co2), target, tau: tau, dt: dt) + random.normal() * 3, 350...5000))
        state.pm25 = Float(Physics.clamp(Physics.drift(Double(state.pm25), mean: 5, deviation: 1.5, tau: 1200, dt: dt, random: &random), 0...1000))
    }

    public func report(_ state: inout State, at now: Timestamp) -> SensorSample? {
        state.clock.recordReport(at: now)
        let quality = state.co2 >= 1400 || state.pm25 >= 55 ? "Poor" : state.co2 >= 1000 || state.pm25 >= 25 ? "Fair" : "Good"
        return SensorSample([.number(Double(state.co2)), .number(Double(state.pm25)), .text(quality)])
    }

    public func apply(_ event: SensorEvent, to state: inout State, random: inout SeededRandom) {
        switch event.name {
        case "people": state.occupants = UInt8(event.parameters["count"] ?? 0)
        case "cooking": state.pm25 = min(1000, state.pm25 + Float(random.uniform(60...200)))
        case "ventilate": state.ventilatedUntil = state.clock.now.adding(seconds: 1800)
        default: break
        }
    }
}
