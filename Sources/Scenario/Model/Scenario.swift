import SensorKit

/// Everything about one run of hearth: the stack it runs against, the
/// simulated estate, the load over time, the events injected at chosen
/// moments, the gates the run must pass and the reports it writes.
///
/// A `Scenario` only exists after validation, so every value in it is in
/// range and consistent with the rest (events name houses that exist, stage
/// rates fit the limits, gates refer to real stages). Code that runs a
/// scenario never has to re-check it. Build one with
/// ``Scenario/load(contentsOfFile:vocabulary:)`` or
/// ``Scenario/parse(yaml:file:vocabulary:)``.
public struct Scenario: Equatable, Sendable {
    /// The only `version:` this module understands.
    public static let currentVersion = 1

    /// A short identifier, safe in file names (reports are named after it).
    public var name: String
    public var description: String
    /// Seeds every random choice of the run, so two runs of one scenario
    /// send the same readings in the same order.
    public var seed: UInt64
    public var stack: StackSettings
    public var estate: Estate
    public var load: LoadProfile
    /// Sensor and fault events, in the order of their `at` times.
    public var events: [ScenarioEvent]
    /// Whole-run gates (``Gate/stage`` is nil) and per-stage gates.
    public var gates: [Gate]
    public var outputs: OutputSettings
    public var api: APISettings

    public init(
        name: String,
        description: String = "",
        seed: UInt64 = Scenario.defaultSeed,
        stack: StackSettings = StackSettings(),
        estate: Estate,
        load: LoadProfile,
        events: [ScenarioEvent] = [],
        gates: [Gate] = [],
        outputs: OutputSettings = OutputSettings(),
        api: APISettings = APISettings()
    ) {
        self.name = name
        self.description = description
        self.seed = seed
        self.stack = stack
        self.estate = estate
        self.load = load
        self.events = events
        self.gates = gates
        self.outputs = outputs
        self.api = api
    }

    public static let defaultSeed: UInt64 = 1

    /// How long the load runs: the stages end to end.
    public var duration: Duration { load.duration }

    /// The total send rate over time, with per-sensor rates multiplied out
    /// by the estate's sensor count.
    public var rateSchedule: RateSchedule {
        RateSchedule(stages: load.stages, sensorCount: estate.sensorCount)
    }

    /// The gates that judge the whole run.
    public var runGates: [Gate] { gates.filter { $0.stage == nil } }

    /// The gates that judge one stage.
    public func gates(forStage name: String) -> [Gate] { gates.filter { $0.stage == name } }
}

/// Where something was written in the scenario file, so that a gate that
/// fails at run time can point at the line that set it.
public struct SourceLocation: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// 1-based, as editors count.
    public var line: Int
    /// 1-based, counted in Unicode scalars (as libyaml counts).
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static let unknown = SourceLocation(line: 0, column: 0)

    public var description: String { "\(line):\(column)" }
}
