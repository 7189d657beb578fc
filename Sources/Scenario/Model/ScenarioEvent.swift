import SensorKit

/// Something that happens at a chosen moment of a run: a sensor condition
/// (a fire starts in house 3) or a fault (the broker restarts).
public struct ScenarioEvent: Equatable, Sendable {
    /// Time since the start of the run.
    public var at: Duration
    public var action: Action
    public var location: SourceLocation

    public init(at: Duration, action: Action, location: SourceLocation = .unknown) {
        self.at = at
        self.action = action
        self.location = location
    }

    public enum Action: Equatable, Sendable {
        case sensor(SensorTrigger)
        case fault(Fault)
    }

    /// The event's name as the file writes it: `fire_start`, `broker_restart`.
    public var name: String {
        switch action {
        case .sensor(let trigger): trigger.name
        case .fault(let fault): fault.kind.rawValue
        }
    }
}

/// A change in what sensors of one kind report, in some houses: the event
/// the harness hands to each matching sensor's plugin.
public struct SensorTrigger: Equatable, Sendable {
    public var kind: SensorKind
    /// A name from the ``EventVocabulary`` for `kind`.
    public var name: String
    public var houses: HouseSelection
    /// Every parameter of the event, defaults filled in (seconds for
    /// parameters whose unit is `s`), such as `["value": 19.5]`.
    public var parameters: [String: Double]

    public init(kind: SensorKind, name: String, houses: HouseSelection, parameters: [String: Double] = [:]) {
        self.kind = kind
        self.name = name
        self.houses = houses
        self.parameters = parameters
    }
}

/// A failure injected into the stack, to see how the pipeline rides it out.
public struct Fault: Equatable, Sendable {
    public var kind: FaultKind
    /// How long the server stays down before it comes back; `postgres_stop`
    /// needs one, restarts default to an immediate restart.
    public var duration: Duration?

    public init(kind: FaultKind, duration: Duration? = nil) {
        self.kind = kind
        self.duration = duration
    }
}

public enum FaultKind: String, CaseIterable, Equatable, Sendable {
    case brokerRestart = "broker_restart"
    case redisRestart = "redis_restart"
    case postgresStop = "postgres_stop"
    case subscriberRestart = "subscriber_restart"

    /// Whether the event must say how long the server stays down.
    public var requiresDuration: Bool { self == .postgresStop }
}
