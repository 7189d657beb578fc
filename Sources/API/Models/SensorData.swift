import Foundation

/// `GET /houses/{id}/data`: the latest reading of every sensor in the house.
struct HouseData: Encodable, Sendable {
    var houseID: Int
    /// When the server read Redis; ages are measured from here.
    var readAt: Date
    var sensors: [SensorData]

    enum CodingKeys: String, CodingKey {
        case houseID = "house_id"
        case readAt = "read_at"
        case sensors
    }
}

/// One sensor's latest reading and how far to trust it.
struct SensorData: Encodable, Sendable, Equatable {
    enum Status: String, Encodable, Sendable {
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
    var values: [String: ReadingValue]?
    var units: [String: String]?
    var alarms: [String]?
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case sensorID = "sensor_id"
        case name, kind
        case applianceID = "appliance_id"
        case status
        case staleAfterSeconds = "stale_after_seconds"
        case timestamp
        case ageSeconds = "age_seconds"
        case seq, values, units, alarms, reason
    }
}

/// A reading's value: a number (temperature, level) or a state ("Door Open").
enum ReadingValue: Encodable, Sendable, Equatable {
    case number(Double)
    case text(String)

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value):
            // JSON has no NaN or infinity; null says "no number" without lying.
            if value.isFinite { try container.encode(value) } else { try container.encodeNil() }
        case .text(let value): try container.encode(value)
        }
    }
}
