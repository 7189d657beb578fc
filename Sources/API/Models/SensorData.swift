import Foundation
import SensorKit

/// `GET /houses/{id}/data`: the latest reading of every sensor in the house.
struct HouseData: Sendable {
    var houseID: Int
    /// When the server read Redis; ages are measured from here.
    var readAt: Date
    var sensors: [SensorData]
}

/// One sensor's latest reading and how far to trust it.
struct SensorData: Sendable, Equatable {
    enum Status: String, Sendable {
        /// Younger than the stale threshold.
        case fresh
        /// Older than the threshold: the sensor has gone quiet.
        case stale
        /// No latest value in Redis: never reported, expired (TTL) or evicted.
        case missing
        /// A value exists but cannot be trusted: no key for the house's
        /// owner, a token that does not open, or a payload that does not
        /// parse or belongs to another sensor. `reason` says which.
        case unreadable
    }

    var sensorID: Int
    var name: String
    var kind: String
    var applianceID: Int?
    var status: Status
    var staleAfterSeconds: Double
    var timestamp: String?
    var ageSeconds: Double?
    var seq: UInt64?
    /// The reading's value fields with their units, as the payload had them;
    /// written as the `values` and `units` objects.
    var fields: [ReadingField]?
    var alarms: [String]?
    var reason: String?
}

// MARK: - JSON (snake_case; absent optionals are left out)

/// The fixed keys of `/data`'s JSON, encoded once.
private enum Key {
    static let houseID = JSONKey("house_id")
    static let readAt = JSONKey("read_at")
    static let sensors = JSONKey("sensors")
    static let sensorIDs = JSONKey("sensor_ids")
    static let sensorID = JSONKey("sensor_id")
    static let name = JSONKey("name")
    static let kind = JSONKey("kind")
    static let applianceID = JSONKey("appliance_id")
    static let status = JSONKey("status")
    static let staleAfterSeconds = JSONKey("stale_after_seconds")
    static let timestamp = JSONKey("timestamp")
    static let ageSeconds = JSONKey("age_seconds")
    static let seq = JSONKey("seq")
    static let values = JSONKey("values")
    static let units = JSONKey("units")
    static let alarms = JSONKey("alarms")
    static let reason = JSONKey("reason")
}

extension HouseData: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.byte("{")
        json.key(Key.houseID); json.integer(Int64(houseID))
        json.byte(","); json.key(Key.readAt); json.rfc3339(readAt)
        json.byte(","); json.key(Key.sensors); json.array(sensors)
        json.byte("}")
    }
}

extension SensorChanges: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.byte("{")
        json.key(Key.readAt); json.rfc3339(readAt)
        json.byte(","); json.key(Key.sensorIDs); json.array(sensorIDs) { $0.integer(Int64($1)) }
        json.byte(","); json.key(Key.sensors); json.array(sensors)
        json.byte("}")
    }
}

extension SensorData: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.byte("{")
        json.key(Key.sensorID); json.integer(Int64(sensorID))
        json.byte(","); json.key(Key.name); json.string(name)
        json.byte(","); json.key(Key.kind); json.string(kind)
        if let applianceID { json.byte(","); json.key(Key.applianceID); json.integer(Int64(applianceID)) }
        json.byte(","); json.key(Key.status); json.string(status.rawValue)
        json.byte(","); json.key(Key.staleAfterSeconds); json.number(staleAfterSeconds)
        if let timestamp { json.byte(","); json.key(Key.timestamp); json.string(timestamp) }
        if let ageSeconds { json.byte(","); json.key(Key.ageSeconds); json.number(ageSeconds) }
        if let seq { json.byte(","); json.key(Key.seq); json.unsigned(seq) }
        if let fields {
            // Sorted by name, so the same reading always gives the same bytes.
            let sorted = fields.count < 2 ? fields : fields.sorted { $0.name < $1.name }
            json.byte(","); json.key(Key.values)
            json.object(sorted) { json, field in
                switch field.value {
                // JSON has no NaN or infinity; `number` writes null for them.
                case .number(let number): json.number(number)
                case .text(let text): json.string(text)
                }
            }
            json.byte(","); json.key(Key.units)
            json.object(sorted.filter { $0.unit != nil }) { $0.string($1.unit!) }
        }
        if let alarms { json.byte(","); json.key(Key.alarms); json.array(alarms) { $0.string($1) } }
        if let reason { json.byte(","); json.key(Key.reason); json.string(reason) }
        json.byte("}")
    }
}

extension JSONWriter {
    /// `[a,b,…]` of values that write themselves.
    mutating func array(_ items: [some JSONWritable]) {
        array(items) { json, item in item.write(to: &json) }
    }

    /// `[a,b,…]`, each item written by `element`.
    mutating func array<Item>(_ items: [Item], _ element: (inout JSONWriter, Item) -> Void) {
        byte("[")
        var first = true
        for item in items {
            comma(&first)
            element(&self, item)
        }
        byte("]")
    }

    /// `{"a":…,"b":…}` of fields in the order given; each value written by `value`.
    mutating func object(_ fields: [ReadingField], _ value: (inout JSONWriter, ReadingField) -> Void) {
        byte("{")
        var first = true
        for field in fields {
            comma(&first)
            key(field.name)
            value(&self, field)
        }
        byte("}")
    }

    /// A date as RFC 3339 text, UTC with milliseconds, as payloads carry it.
    mutating func rfc3339(_ date: Date) {
        byte("\"")
        Timestamp(secondsSinceEpoch: date.timeIntervalSince1970).appendRFC3339(to: &bytes)
        byte("\"")
    }
}
