import Foundation
import Postgres

/// One alarm transition (`alarms`): an alarm of a sensor raised or cleared.
struct Alarm: Encodable, Sendable {
    var id: Int
    var houseID: Int
    var sensorID: Int
    var kind: String
    var alarm: String
    var state: String
    var seq: Int
    var occurredAt: Date
    var recordedAt: Date
    var acknowledgedAt: Date?
    var acknowledgedBy: Int?

    enum CodingKeys: String, CodingKey {
        case id
        case houseID = "house_id"
        case sensorID = "sensor_id"
        case kind, alarm, state, seq
        case occurredAt = "occurred_at"
        case recordedAt = "recorded_at"
        case acknowledgedAt = "acknowledged_at"
        case acknowledgedBy = "acknowledged_by"
    }


    init(row: PostgresRow) throws {
        id = try row.decode(Int.self, column: 0)
        houseID = try row.decode(Int.self, column: 1)
        sensorID = try row.decode(Int.self, column: 2)
        kind = try row.decode(String.self, column: 3)
        alarm = try row.decode(String.self, column: 4)
        state = try row.decode(String.self, column: 5)
        seq = try row.decode(Int.self, column: 6)
        occurredAt = try row.decode(Date.self, column: 7)
        recordedAt = try row.decode(Date.self, column: 8)
        acknowledgedAt = try row.decode(Date?.self, column: 9)
        acknowledgedBy = try row.decode(Int?.self, column: 10)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(houseID, forKey: .houseID)
        try container.encode(sensorID, forKey: .sensorID)
        try container.encode(kind, forKey: .kind)
        try container.encode(alarm, forKey: .alarm)
        try container.encode(state, forKey: .state)
        try container.encode(seq, forKey: .seq)
        try container.encode(occurredAt, forKey: .occurredAt)
        try container.encode(recordedAt, forKey: .recordedAt)
        try container.encode(acknowledgedAt, forKey: .acknowledgedAt)
        try container.encode(acknowledgedBy, forKey: .acknowledgedBy)
    }
}
