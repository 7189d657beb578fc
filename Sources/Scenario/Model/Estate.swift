import SensorKit

/// The simulated neighbourhood: houses, their owners, and the sensors and
/// appliances in each house.
///
/// Houses are stored as groups of identical houses rather than one value per
/// house, because an estate may hold a million houses and most scenarios
/// describe them as "N houses, each with these sensors". Houses are
/// numbered from 1 in group order; events and API paths use those numbers.
public struct Estate: Equatable, Sendable {
    public static let maximumHouses = 1_000_000
    public static let maximumSensors = 10_000_000
    public static let maximumSensorsPerHouse = 10_000
    public static let maximumAppliancesPerHouse = 1_000

    public var houseGroups: [HouseGroup]
    /// Owners are numbered 1...ownerCount; each owner has one Fernet key.
    public var ownerCount: Int
    public var mqttConnections: MQTTConnections

    public init(houseGroups: [HouseGroup], ownerCount: Int, mqttConnections: MQTTConnections = .perHouse(maximum: MQTTConnections.defaultMaximum)) {
        self.houseGroups = houseGroups
        self.ownerCount = ownerCount
        self.mqttConnections = mqttConnections
    }

    public var houseCount: Int { houseGroups.reduce(0) { $0 + $1.count } }

    public var sensorCount: Int { houseGroups.reduce(0) { $0 + $1.count * $1.sensors.count } }

    /// How many sensors of each kind the estate holds.
    public var sensorCountByKind: [SensorKind: Int] {
        var counts: [SensorKind: Int] = [:]
        for group in houseGroups {
            for sensor in group.sensors { counts[sensor.kind, default: 0] += group.count }
        }
        return counts
    }

    /// The group that house `number` (1-based) belongs to.
    public func group(ofHouse number: Int) -> HouseGroup? {
        var first = 1
        for group in houseGroups {
            if number >= first, number < first + group.count { return group }
            first += group.count
        }
        return nil
    }

    /// The owner of house `number`: the group's explicit owner, otherwise
    /// owners take houses in turn (house 1 → owner 1, house 2 → owner 2, …),
    /// so every owner gets a share even when the counts do not divide.
    public func owner(ofHouse number: Int) -> Int? {
        guard let group = group(ofHouse: number) else { return nil }
        return group.owner ?? ((number - 1) % ownerCount) + 1
    }

    /// How many MQTT connections the publishers open.
    public var mqttConnectionCount: Int { mqttConnections.connectionCount(houses: houseCount) }
}

/// Houses that share a layout: how many, whose they are, and what sensors
/// and appliances each holds.
public struct HouseGroup: Equatable, Sendable {
    public var count: Int
    /// A label for reports and the API; houses in a group get it with their
    /// number appended.
    public var name: String?
    /// When nil, owners take the houses in turn (see ``Estate/owner(ofHouse:)``).
    public var owner: Int?
    public var sensors: [SensorSpec]
    public var appliances: [String]

    public init(count: Int, name: String? = nil, owner: Int? = nil, sensors: [SensorSpec], appliances: [String] = []) {
        self.count = count
        self.name = name
        self.owner = owner
        self.sensors = sensors
        self.appliances = appliances
    }
}

/// One sensor of a house.
public struct SensorSpec: Equatable, Sendable {
    public var kind: SensorKind
    /// Unique within its house; becomes the payload's `sensor_name`.
    public var name: String
    /// The appliance it is fitted to, one of the house's appliance names.
    public var appliance: String?

    public init(kind: SensorKind, name: String, appliance: String? = nil) {
        self.kind = kind
        self.name = name
        self.appliance = appliance
    }
}

/// How publishers share MQTT connections.
public enum MQTTConnections: Equatable, Sendable {
    /// One connection per house, as real houses connect, but at most
    /// `maximum`: beyond that, houses share connections in turn, because a
    /// 2-core load generator cannot serve a million sockets.
    case perHouse(maximum: Int)
    /// A fixed pool of connections shared by all houses.
    case pooled(Int)

    /// Four, not more: each connection costs the 2-core load generator a
    /// network thread, a write and two socket options per burst, and its own
    /// QoS 1 window. 100,000 sensors at one reading per 5 s (20,000/s, QoS 1)
    /// ran at most 0.35 s behind their schedule on 4 connections, 3.5 s on 8
    /// and 10 s on 64 (and on 64 with 1,000-message windows, 42 s).
    public static let defaultMaximum = 4
    public static let maximumConnections = 10_000

    public func connectionCount(houses: Int) -> Int {
        switch self {
        case .perHouse(let maximum): min(houses, maximum)
        case .pooled(let count): count
        }
    }
}
