import SensorKit

/// An alarm of one sensor going on or off, found by comparing a reading's
/// active alarms with the previous reading's.
///
/// `(sensorID, alarm, seq, state)` identifies it: the `alarms` table's
/// unique key, so writing the same transition twice stores it once.
public struct AlarmTransition: Sendable, Hashable {
    public enum State: String, Sendable {
        case raised
        case cleared
    }

    public var houseID: Int
    public var sensorID: Int
    public var kind: SensorKind
    /// The alarm's name as the plugin declares it (e.g. `smoke`, `leak`).
    public var alarm: String
    public var state: State
    /// The seq of the reading that showed the change.
    public var seq: Int64
    /// The reading's own timestamp.
    public var occurredAt: Timestamp

    public init(houseID: Int, sensorID: Int, kind: SensorKind, alarm: String, state: State, seq: Int64, occurredAt: Timestamp) {
        self.houseID = houseID
        self.sensorID = sensorID
        self.kind = kind
        self.alarm = alarm
        self.state = state
        self.seq = seq
        self.occurredAt = occurredAt
    }

    /// The MQTT announcement on `houses/{h}/alarms` and one line of the
    /// spool: `{"house_id":…,"sensor_id":…,"kind":…,"alarm":…,"state":…,"seq":…,"occurred_at":"…"}`.
    public var json: [UInt8] {
        var writer = JSONWriter(capacity: 160)
        var first = true
        writer.byte("{")
        writer.comma(&first); writer.key("house_id"); writer.integer(Int64(houseID))
        writer.comma(&first); writer.key("sensor_id"); writer.integer(Int64(sensorID))
        writer.comma(&first); writer.key("kind"); writer.string(kind.rawValue)
        writer.comma(&first); writer.key("alarm"); writer.string(alarm)
        writer.comma(&first); writer.key("state"); writer.string(state.rawValue)
        writer.comma(&first); writer.key("seq"); writer.integer(seq)
        writer.comma(&first); writer.key("occurred_at"); writer.string(occurredAt.rfc3339)
        writer.byte("}")
        return writer.bytes
    }

    /// Reads back ``json``; nil for anything else (a torn last spool line).
    public init?(json: some Collection<UInt8>) {
        guard let value = try? JSONParser.parse(json),
              case .integer(let house)? = value["house_id"], case .integer(let sensor)? = value["sensor_id"],
              let kind = value["kind"]?.stringValue, let alarm = value["alarm"]?.stringValue,
              let state = value["state"]?.stringValue.flatMap(State.init(rawValue:)),
              case .integer(let seq)? = value["seq"],
              let occurred = value["occurred_at"]?.stringValue.flatMap(Timestamp.init(rfc3339:)) else { return nil }
        self.init(houseID: Int(house), sensorID: Int(sensor), kind: SensorKind(kind), alarm: alarm, state: state, seq: seq, occurredAt: occurred)
    }

    /// `houses/{h}/alarms`.
    public var topic: String { "houses/\(houseID)/alarms" }
}

extension AlarmTransition {
    /// The transitions from `previous` to `current` active alarms: raised
    /// for names only in `current`, cleared for names only in `previous`.
    static func between(
        _ previous: [String], _ current: [String], reading: Reading, seq: Int64
    ) -> [AlarmTransition] {
        if previous == current { return [] }
        var transitions: [AlarmTransition] = []
        for name in current where !previous.contains(name) {
            transitions.append(AlarmTransition(houseID: reading.houseID, sensorID: reading.sensorID, kind: reading.kind,
                                               alarm: name, state: .raised, seq: seq, occurredAt: reading.timestamp))
        }
        for name in previous where !current.contains(name) {
            transitions.append(AlarmTransition(houseID: reading.houseID, sensorID: reading.sensorID, kind: reading.kind,
                                               alarm: name, state: .cleared, seq: seq, occurredAt: reading.timestamp))
        }
        return transitions
    }
}
