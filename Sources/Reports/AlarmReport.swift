/// How fast alarms travelled: from the sensor event that raised them to the
/// row in PostgreSQL's `alarms` table and to the message on
/// `houses/{h}/alarms`, plus every alarm in order.
public struct AlarmReport: Codable, Sendable, Equatable {
    /// Event → alarm row in PostgreSQL.
    public var toPostgres: LatencyRecord?
    /// Event → alarm message on MQTT: what the `alarm_latency` gate judges.
    public var toMQTT: LatencyRecord?
    public var timeline: [AlarmTimelineEntry]

    /// Spelled as the snake_case key strategy reads `to_mqtt` back.
    enum CodingKeys: String, CodingKey {
        case toPostgres
        case toMQTT = "toMqtt"
        case timeline
    }

    public init(toPostgres: LatencyRecord? = nil, toMQTT: LatencyRecord? = nil, timeline: [AlarmTimelineEntry] = []) {
        self.toPostgres = toPostgres
        self.toMQTT = toMQTT
        self.timeline = timeline
    }
}

/// One alarm raised or cleared during the run.
public struct AlarmTimelineEntry: Codable, Sendable, Equatable {
    /// Seconds since the run started, when the triggering reading was intended.
    public var t: Double
    public var house: Int
    public var sensor: Int
    public var kind: String
    /// The alarm's name, e.g. `smoke`, `co`, `leak`.
    public var alarm: String
    public var state: State
    /// Milliseconds from the event to the row in PostgreSQL, if it arrived.
    public var postgresMs: Double?
    /// Milliseconds from the event to the MQTT alarm message, if it arrived.
    public var mqttMs: Double?
    /// The scenario event that set this off (`fire_start at 20s`), if one
    /// touched this house's sensor of this kind before the reading, and how
    /// long before: the simulated physics (a fire growing), apart from the
    /// pipeline's latency above.
    public var cause: String?
    public var sinceCauseSeconds: Double?

    public enum State: String, Codable, Sendable {
        case raised
        case cleared
    }

    public init(t: Double, house: Int, sensor: Int, kind: String, alarm: String, state: State, postgresMs: Double? = nil, mqttMs: Double? = nil) {
        self.t = t
        self.house = house
        self.sensor = sensor
        self.kind = kind
        self.alarm = alarm
        self.state = state
        self.postgresMs = postgresMs
        self.mqttMs = mqttMs
    }
}
