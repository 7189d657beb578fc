/// How the estate is driven: the stages of load over time and how each
/// reading travels.
public struct LoadProfile: Equatable, Sendable {
    /// The longest run a scenario may describe: a week, enough for any soak.
    public static let maximumDuration = Duration.seconds(7 * 86_400)
    /// No 2-core machine sends more; a higher number is a typo.
    public static let maximumTotalRate = 5_000_000.0
    /// One sensor reports at most every millisecond.
    public static let maximumPerSensorRate = 1000.0

    /// At least one stage, in order.
    public var stages: [Stage]
    public var qos: QoS
    public var transport: Transport
    /// Store every reading in PostgreSQL's `readings` table, not only the
    /// latest value in Redis.
    public var history: Bool
    public var keys: KeySource

    public init(stages: [Stage], qos: QoS = .atLeastOnce, transport: Transport = .mqtt, history: Bool = false, keys: KeySource = .generated) {
        self.stages = stages
        self.qos = qos
        self.transport = transport
        self.history = history
        self.keys = keys
    }

    public var duration: Duration { stages.reduce(.zero) { $0 + $1.duration } }
}

/// MQTT quality of service.
public enum QoS: Int, CaseIterable, Equatable, Sendable {
    case atMostOnce = 0
    case atLeastOnce = 1
    case exactlyOnce = 2
}

/// The path a reading takes from publisher to subscriber.
public enum Transport: String, CaseIterable, Equatable, Sendable {
    case mqtt
    /// Redis `XADD` to a stream read by a consumer group.
    case redisStream = "redis-stream"
    /// Every reading goes both ways, to compare the paths in one run.
    case both

    public var usesMQTT: Bool { self != .redisStream }
    public var usesRedisStream: Bool { self != .mqtt }
}

/// Where the per-owner Fernet keys come from.
public enum KeySource: Equatable, Sendable, CustomStringConvertible {
    /// Fresh keys for each run, written nowhere.
    case generated
    /// Key files in this folder (relative to where hearth runs), one per
    /// owner, as `hearth keys` writes them.
    case directory(String)

    public var description: String {
        switch self {
        case .generated: "generated"
        case .directory(let path): path
        }
    }
}
