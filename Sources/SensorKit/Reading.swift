/// One reading of one sensor: the payload before it is encrypted.
///
/// Made by a `SensorGroup`, written with `SensorDescriptor.encode(_:)`, read back
/// with `Reading(payload:)` and checked with `SensorDescriptor.validate(_:)`.
/// Its JSON keys are listed in `Reading.Key`.
public struct Reading: Sendable, Hashable {
    public var sensorID: Int
    public var sensorName: String
    public var houseID: Int
    public var kind: SensorKind
    /// Per sensor, from 0, one more for each reading sent: the subscriber finds
    /// loss and duplicates from gaps and repeats.
    public var seq: UInt64
    /// When the device took the reading (simulated time), for people.
    public var timestamp: Timestamp
    /// When the harness handed the payload to the transport (`sent_at_ns`), for
    /// latency measurement. Set it just before encoding.
    public var sentAt: Timestamp
    /// The value fields, in the plugin's declared order.
    public var fields: [ReadingField]
    /// The names of the active alarms, in the plugin's declared order.
    public var alarms: [String]

    public init(
        sensorID: Int, sensorName: String, houseID: Int, kind: SensorKind, seq: UInt64,
        timestamp: Timestamp, sentAt: Timestamp, fields: [ReadingField], alarms: [String] = []
    ) {
        self.sensorID = sensorID
        self.sensorName = sensorName
        self.houseID = houseID
        self.kind = kind
        self.seq = seq
        self.timestamp = timestamp
        self.sentAt = sentAt
        self.fields = fields
        self.alarms = alarms
    }

    /// The value of the field `name`, if the reading has it.
    public subscript(field name: String) -> FieldValue? {
        fields.first { $0.name == name }?.value
    }

    /// The payload's fixed keys (value fields come from the plugin).
    public enum Key {
        public static let sensorID = "sensor_id"
        public static let sensorName = "sensor_name"
        public static let houseID = "house_id"
        public static let kind = "kind"
        public static let seq = "seq"
        public static let timestamp = "timestamp"
        public static let sentAt = "sent_at_ns"
        public static let units = "units"
        public static let alarms = "alarms"
        public static let all: [String] = [sensorID, sensorName, houseID, kind, seq, timestamp, sentAt, units, alarms]
    }
}

/// A value field of a reading, with its unit (nil for state fields).
public struct ReadingField: Sendable, Hashable {
    public var name: String
    public var value: FieldValue
    public var unit: String?

    public init(name: String, value: FieldValue, unit: String? = nil) {
        self.name = name
        self.value = value
        self.unit = unit
    }
}

/// Who a sensor is: the harness's business, passed in when a reading is made so
/// that per-sensor state carries no strings.
public struct SensorIdentity: Sendable, Hashable {
    public var houseID: Int
    public var sensorID: Int
    public var name: String

    public init(houseID: Int, sensorID: Int, name: String) {
        self.houseID = houseID
        self.sensorID = sensorID
        self.name = name
    }
}

extension SensorDescriptor {
    /// Dresses a sample as a reading: rounds numbers to their declared decimals
    /// (so the reading equals what the wire carries), attaches units and names
    /// the active alarms.
    public func makeReading(
        _ sample: SensorSample, alarms active: AlarmSet, identity: SensorIdentity, seq: UInt64, at time: Timestamp
    ) -> Reading {
        makeReading(wireValues: wireValues(sample.values), alarms: active, identity: identity, seq: seq, at: time)
    }

    /// `makeReading(_:…)` for values already rounded by `wireValues(_:)`,
    /// which `ReadingFactory` has done to judge the alarms.
    func makeReading(
        wireValues values: [FieldValue], alarms active: AlarmSet, identity: SensorIdentity, seq: UInt64, at time: Timestamp
    ) -> Reading {
        var readingFields: [ReadingField] = []
        readingFields.reserveCapacity(fields.count)
        for (field, value) in zip(fields, values) {
            readingFields.append(ReadingField(name: field.name, value: value, unit: field.unit))
        }
        return Reading(
            sensorID: identity.sensorID, sensorName: identity.name, houseID: identity.houseID, kind: kind,
            seq: seq, timestamp: time, sentAt: time, fields: readingFields, alarms: alarmNames(active)
        )
    }

    /// `values` as the wire will carry them: numbers rounded to their declared
    /// decimals. Alarms are judged on these, so that a reading and its alarms
    /// agree for anyone who checks the payload.
    public func wireValues(_ values: [FieldValue]) -> [FieldValue] {
        zip(fields, values).map { field, value in
            if case .number(let number) = field.type, case .number(let raw) = value { return .number(number.rounded(raw)) }
            return value
        }
    }
}
