import SensorKit

/// A water-leak detector with a moisture probe, as in the seed system
/// (`moisture_detection_level`, `leakage`).
///
/// The probe reads standing water: Dry, Wet once a film forms, Flood once it is
/// deep. `leak_start` opens a leak whose flow rate varies from leak to leak, so
/// water reaches Wet within seconds to a minute and Flood within a few
/// minutes. `leakage` and its alarm latch at the worst level seen (Minor Leak
/// at Wet, Major Leak at Flood) even as water dries, until `leak_reset`: the
/// leak is fixed, the floor mopped and the detector re-armed.
public struct LeakSensor: SensorPlugin {
    public init() {}

    public struct State: Sendable, BitwiseCopyable, ReportingState {
        public internal(set) var clock: ReportingClock
        /// Water depth on the probe, 0 (dry) to 1.2 (well flooded).
        var water: Float
        /// Water added per second while leaking.
        var flowRate: Float
        var leaking: Bool
        var latched: Moisture
    }

    public var kind: SensorKind { .leak }
    public var displayName: String { "Water leak detector" }
    public var summary: String {
        "Moisture probe; a leak wets then floods the floor, and the leak alarm latches until reset."
    }

    public var fields: [FieldDescriptor] {
        [
            .choice("moisture_detection_level", values: Moisture.allCases.map(\.label), summary: "Water at the probe"),
            .choice("leakage", values: Moisture.allCases.map(\.leakage), summary: "Latched leak state since the last reset"),
        ]
    }

    public var alarms: [AlarmDescriptor] {
        [
            AlarmDescriptor(
                name: "leak", summary: "Water leak detected (latched until reset)",
                trigger: .states(field: "leakage", raise: [Moisture.wet.leakage, Moisture.flood.leakage], clear: [Moisture.dry.leakage])
            ),
        ]
    }

    public var supportedEvents: [EventDescriptor] {
        [
            EventDescriptor(name: "leak_start", summary: "A pipe or appliance starts leaking onto the probe."),
            EventDescriptor(name: "leak_reset", summary: "The leak is fixed, the water mopped up and the detector re-armed."),
        ]
    }

    public var reporting: ReportingMode { .periodic(interval: 60) }

    public func makeState(at start: Timestamp, random: inout SeededRandom) -> State {
        State(clock: ReportingClock(start: start), water: 0, flowRate: 0, leaking: false, latched: .dry)
    }

    public func advance(_ state: inout State, to now: Timestamp, random: inout SeededRandom) {
        let dt = state.clock.advance(to: now)
        guard dt > 0 else { return }
        if state.leaking {
            state.water = min(1.2, state.water + state.flowRate * Float(dt))
        } else {
            // Standing water dries out over hours.
            state.water = Float(Physics.approach(Double(state.water), 0, tau: 3 * 3600, dt: dt))
        }
        state.latched = max(state.latched, Moisture(water: state.water))
    }

    public func report(_ state: inout State, at now: Timestamp) -> SensorSample? {
        state.clock.recordReport(at: now)
        return SensorSample([.text(Moisture(water: state.water).label), .text(state.latched.leakage)])
    }

    public func apply(_ event: SensorEvent, to state: inout State, random: inout SeededRandom) {
        switch event.name {
        case "leak_start":
            state.leaking = true
            state.flowRate = Float(random.uniform(0.004...0.03))
        case "leak_reset":
            state.leaking = false
            state.water = min(state.water, 0.05)
            state.latched = .dry
        default:
            break
        }
    }
}

/// How wet the probe is; ordered, so the latch keeps the worst level seen.
enum Moisture: UInt8, CaseIterable, Comparable, Sendable, BitwiseCopyable {
    case dry, wet, flood

    init(water: Float) {
        self = water >= 0.6 ? .flood : water >= 0.15 ? .wet : .dry
    }

    static func < (lhs: Moisture, rhs: Moisture) -> Bool { lhs.rawValue < rhs.rawValue }

    var label: String {
        switch self {
        case .dry: return "Dry"
        case .wet: return "Wet"
        case .flood: return "Flood"
        }
    }

    /// The `leakage` state this level latches to.
    var leakage: String {
        switch self {
        case .dry: return "No Leak"
        case .wet: return "Minor Leak"
        case .flood: return "Major Leak"
        }
    }
}
