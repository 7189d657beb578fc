import Scenario
import SensorKit

/// Who every simulated sensor is: the one place that turns a scenario's estate
/// into the ids, owners, topics and connections the rest of hearth relies on.
///
/// The numbering is a contract, because the subscriber and the API look
/// sensors up in PostgreSQL by these ids and the harness finds loss by them:
///
/// - Houses are numbered 1...H in the order of the estate's house groups
///   (as ``Estate`` already numbers them for events).
/// - Sensors are numbered 1...S house by house: all of house 1's sensors,
///   then house 2's, and within a house in the order its group lists them.
/// - A house's owner is ``Estate/owner(ofHouse:)``; its readings are encrypted
///   with that owner's key.
/// - House h publishes over MQTT connection (h - 1) mod C, where C is the
///   estate's connection count (never more than the number of houses), so a
///   house's readings always travel one connection, in order.
///
/// Everything is computed from the house groups (a handful), never stored per
/// house or per sensor, so a layout of a million houses costs nothing.
public struct EstateLayout: Sendable, Equatable {
    /// A run of identical houses with consecutive house and sensor ids.
    struct Span: Sendable, Equatable {
        var firstHouse: Int
        var houseCount: Int
        var firstSensor: Int
        var sensors: [SensorSpec]
        var explicitOwner: Int?

        var lastHouse: Int { firstHouse + houseCount - 1 }
        var sensorCount: Int { houseCount * sensors.count }
    }

    let spans: [Span]
    public let houseCount: Int
    public let sensorCount: Int
    public let ownerCount: Int
    /// MQTT connections the publishers open: the estate's setting, capped at
    /// one per house (a connection without houses would carry nothing).
    public let connectionCount: Int

    public init(estate: Estate) {
        var spans: [Span] = []
        var house = 1
        var sensor = 1
        for group in estate.houseGroups where group.count > 0 {
            spans.append(Span(firstHouse: house, houseCount: group.count, firstSensor: sensor, sensors: group.sensors, explicitOwner: group.owner))
            house += group.count
            sensor += group.count * group.sensors.count
        }
        self.spans = spans
        houseCount = house - 1
        sensorCount = sensor - 1
        ownerCount = estate.ownerCount
        connectionCount = max(1, min(estate.mqttConnectionCount, houseCount))
    }

    /// One sensor of the estate, as the publisher and the database know it.
    public struct Sensor: Sendable, Equatable {
        public var id: Int
        public var houseID: Int
        public var ownerID: Int
        public var kind: SensorKind
        /// The payload's `sensor_name`, unique within the house.
        public var name: String
        /// The MQTT connection (0-based) the house publishes over.
        public var connection: Int
    }

    /// The owner of house `house` (1-based): the group's owner if it names
    /// one, else owners take houses in turn, as ``Estate/owner(ofHouse:)``.
    public func owner(ofHouse house: Int) -> Int {
        let span = spans[spanIndex(containingHouse: house)]
        return span.explicitOwner ?? ((house - 1) % ownerCount) + 1
    }

    /// The MQTT connection (0-based) of house `house`.
    public func connection(ofHouse house: Int) -> Int {
        (house - 1) % connectionCount
    }

    /// The ids of house `house`'s sensors, in the order its group lists them.
    public func sensorIDs(inHouse house: Int) -> ClosedRange<Int>? {
        guard house >= 1, house <= houseCount else { return nil }
        let span = spans[spanIndex(containingHouse: house)]
        guard !span.sensors.isEmpty else { return nil }
        let first = span.firstSensor + (house - span.firstHouse) * span.sensors.count
        return first...(first + span.sensors.count - 1)
    }

    /// The sensor with id `id`, or nil outside 1...sensorCount.
    public func sensor(id: Int) -> Sensor? {
        guard id >= 1, id <= sensorCount else { return nil }
        var low = 0
        var high = spans.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if spans[middle].firstSensor <= id { low = middle } else { high = middle - 1 }
        }
        let span = spans[low]
        let offset = id - span.firstSensor
        let house = span.firstHouse + offset / span.sensors.count
        let spec = span.sensors[offset % span.sensors.count]
        return Sensor(
            id: id, houseID: house, ownerID: span.explicitOwner ?? ((house - 1) % ownerCount) + 1,
            kind: spec.kind, name: spec.name, connection: connection(ofHouse: house)
        )
    }

    /// Calls `body` for every sensor in id order, without building them all at once.
    public func forEachSensor(_ body: (Sensor) throws -> Void) rethrows {
        for span in spans {
            for houseOffset in 0 ..< span.houseCount {
                let house = span.firstHouse + houseOffset
                let owner = span.explicitOwner ?? ((house - 1) % ownerCount) + 1
                let connection = connection(ofHouse: house)
                for (index, spec) in span.sensors.enumerated() {
                    let id = span.firstSensor + houseOffset * span.sensors.count + index
                    try body(Sensor(id: id, houseID: house, ownerID: owner, kind: spec.kind, name: spec.name, connection: connection))
                }
            }
        }
    }

    /// Every house with its owner, in id order: what the database is seeded with.
    public var houses: [(id: Int, ownerID: Int)] {
        houseCount > 0 ? (1...houseCount).map { ($0, owner(ofHouse: $0)) } : []
    }

    /// The MQTT topic of a sensor's readings, `houses/{h}/sensors/{s}` (DESIGN.md).
    public static func topic(house: Int, sensor: Int) -> String {
        "houses/\(house)/sensors/\(sensor)"
    }

    private func spanIndex(containingHouse house: Int) -> Int {
        precondition(house >= 1 && house <= houseCount, "house \(house) is not in the estate (1...\(houseCount))")
        var low = 0
        var high = spans.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if spans[middle].firstHouse <= house { low = middle } else { high = middle - 1 }
        }
        return low
    }
}
