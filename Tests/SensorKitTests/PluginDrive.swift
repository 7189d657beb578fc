import SensorKit

/// Drives one sensor of a plugin through simulated time with scripted events,
/// as a scheduler would, recording every reading. Test support shared by the
/// conformance and behaviour tests.
struct PluginDrive {
    static let start = Timestamp(rfc3339: "2025-03-04T06:00:00Z")!
    static let identity = SensorIdentity(houseID: 3, sensorID: 42, name: "Kitchen \"main\" sensor")

    let group: any SensorGroup
    let index: Int
    private(set) var now: Timestamp
    private(set) var readings: [Reading] = []

    init(_ plugin: AnySensorPlugin, seed: UInt64 = 7, stream: UInt64 = 0, start: Timestamp = PluginDrive.start) {
        group = plugin.makeGroup()
        index = group.addSensor(seed: seed, stream: stream, at: start)
        now = start
    }

    /// Polls every `step` seconds for `seconds`, returning the readings taken.
    @discardableResult
    mutating func run(for seconds: Double, every step: Double, check: ((Reading?, _ due: Timestamp, _ at: Timestamp) -> Void)? = nil) -> [Reading] {
        var taken: [Reading] = []
        let end = now.adding(seconds: seconds)
        while now < end {
            now = now.adding(seconds: step)
            let due = group.nextDue(index)
            let reading = group.nextReading(index, at: now, identity: Self.identity)
            check?(reading, due, now)
            if let reading { taken.append(reading) }
        }
        readings += taken
        return taken
    }

    mutating func apply(_ name: String, _ parameters: [String: Double] = [:]) throws {
        try group.apply(SensorEvent(name: name, parameters: parameters), to: index, at: now)
    }

    /// The value of `field` in the latest reading.
    func latest(_ field: String) -> FieldValue? { readings.last?[field: field] }
}

/// An event script: events applied in turn, a few seconds apart, then a long
/// watch. The conformance test tries the empty script, each event alone and each
/// ordered pair, with every parameter at its lower and upper bound.
struct EventScript: CustomStringConvertible {
    var events: [SensorEvent]

    var description: String { events.isEmpty ? "no events" : events.map(\.description).joined(separator: " → ") }

    static func all(for descriptor: SensorDescriptor) -> [EventScript] {
        let variants = descriptor.events.flatMap { event -> [SensorEvent] in
            guard !event.parameters.isEmpty else { return [SensorEvent(name: event.name)] }
            return [\ClosedRange<Double>.lowerBound, \.upperBound].map { bound in
                SensorEvent(name: event.name, parameters: Dictionary(uniqueKeysWithValues: event.parameters.map { ($0.name, $0.range[keyPath: bound]) }))
            }
        }
        return [EventScript(events: [])]
            + variants.map { EventScript(events: [$0]) }
            + variants.flatMap { first in variants.map { EventScript(events: [first, $0]) } }
    }
}
