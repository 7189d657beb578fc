import SensorKit

/// The sensor kinds a scenario may use and the events each kind
/// understands.
///
/// It is injected rather than fixed because plugins loaded at run time add
/// kinds and events; the CLI passes the plugin catalogue's vocabulary and
/// ``builtIn`` covers the six kinds that ship with hearth.
public struct EventVocabulary: Equatable, Sendable {
    /// One event a kind understands.
    public struct Entry: Equatable, Hashable, Sendable {
        public var kind: SensorKind
        public var name: String
        /// Numbers the event carries, written as keys of the event in the
        /// file (`value: 19.5`).
        public var parameters: [Parameter]

        public init(kind: SensorKind, name: String, parameters: [Parameter] = []) {
            self.kind = kind
            self.name = name
            self.parameters = parameters
        }
    }

    /// A numeric parameter of an event, shaped like the plugin catalogue's
    /// so the CLI can hand those over unchanged.
    public struct Parameter: Equatable, Hashable, Sendable {
        public var name: String
        /// Shown in messages; `s` also lets the file write a duration (`5m`).
        public var unit: String
        public var range: ClosedRange<Double>
        /// Used when the event leaves the parameter out; nil makes it required.
        public var defaultValue: Double?

        public init(name: String, unit: String, range: ClosedRange<Double>, defaultValue: Double? = nil) {
            self.name = name
            self.unit = unit
            self.range = range
            self.defaultValue = defaultValue
        }

        public var isDuration: Bool { unit == "s" }
    }

    /// Every known kind, in catalogue order, including kinds without events.
    public private(set) var kinds: [SensorKind]
    public private(set) var entries: [Entry]

    public init(kinds: [SensorKind], entries: [Entry]) {
        var seen = Set<SensorKind>()
        self.kinds = (kinds + entries.map(\.kind)).filter { seen.insert($0).inserted }
        self.entries = entries
    }

    /// A vocabulary from event names alone, as a plugin catalogue lists them.
    public init(_ eventNamesByKind: [SensorKind: [String]]) {
        let kinds = eventNamesByKind.keys.sorted()
        self.init(kinds: kinds, entries: kinds.flatMap { kind in
            eventNamesByKind[kind, default: []].map { Entry(kind: kind, name: $0) }
        })
    }

    /// The six built-in kinds and their events.
    public static let builtIn = EventVocabulary(kinds: SensorKind.builtIn, entries: [
        Entry(kind: .fireCO, name: "fire_start"),
        Entry(kind: .fireCO, name: "fire_stop"),
        Entry(kind: .leak, name: "leak_start"),
        Entry(kind: .leak, name: "leak_reset"),
        Entry(kind: .doorWindow, name: "open"),
        Entry(kind: .doorWindow, name: "close"),
        Entry(kind: .thermostat, name: "setpoint", parameters: [Parameter(name: "value", unit: "°C", range: 5...35)]),
        Entry(kind: .motion, name: "occupancy_burst", parameters: [Parameter(name: "duration", unit: "s", range: 1...86_400, defaultValue: 300)]),
        Entry(kind: .garage, name: "garage_open"),
        Entry(kind: .garage, name: "garage_close"),
        Entry(kind: .garage, name: "obstruction"),
    ])

    /// This vocabulary with `other`'s kinds and events added; an entry of
    /// `other` replaces one with the same kind and name.
    public func merging(_ other: EventVocabulary) -> EventVocabulary {
        let replaced = Set(other.entries.map { "\($0.kind.rawValue)/\($0.name)" })
        let kept = entries.filter { !replaced.contains("\($0.kind.rawValue)/\($0.name)") }
        return EventVocabulary(kinds: kinds + other.kinds, entries: kept + other.entries)
    }

    public func knows(_ kind: SensorKind) -> Bool { kinds.contains(kind) }

    /// Every parameter name any event takes, for "did you mean".
    public var parameterNames: [String] {
        var seen = Set<String>()
        return entries.flatMap { $0.parameters.map(\.name) }.filter { seen.insert($0).inserted }
    }

    /// The entries called `name`, one per kind that understands it.
    public func entries(named name: String) -> [Entry] { entries.filter { $0.name == name } }

    public func entries(of kind: SensorKind) -> [Entry] { entries.filter { $0.kind == kind } }
}
