import Fernet

/// Everything a ``Subscriber`` needs: where the servers are, where the keys
/// are, and how strict and how durable to be. Defaults follow the issue and
/// DESIGN.md (TTL 3600 s, 5 min replay window, 64 KiB payload cap).
public struct SubscriberConfiguration: Sendable {
    /// Where readings come from.
    public enum Transport: String, Sendable, CaseIterable {
        case mqtt
        case redisStream = "redis-stream"
        case both
    }

    public var mqttURL: String
    public var redisURL: String
    public var postgresURL: String
    /// The folder of `owner-<N>.key` files; watched for new and rotated keys.
    public var keyDirectory: String
    public var transport: Transport = .mqtt
    /// Subscribe as `$share/hearth/houses/+/sensors/+` (MQTT 5), so several
    /// subscriber processes split the readings between them.
    public var sharedSubscription = false
    public var qos: Int = 1
    /// Keep the MQTT session across disconnects, so the broker holds QoS 1
    /// readings while the subscriber restarts. Off for shared subscriptions
    /// by default in `hearth subscribe`: a departed member's queue would strand
    /// readings that the rest of the group could have taken.
    public var persistentSession = true
    /// `EX` of the latest value in Redis, seconds.
    public var ttlSeconds = 3600
    /// Also copy every accepted reading's token into the `readings` table.
    public var history = false
    /// A token older than this is refused as expired (Fernet TTL); one
    /// stamped more than `maxClockSkew` ahead is refused as from the future.
    public var replayWindow: Duration = .seconds(300)
    public var maxClockSkew: Duration = Fernet.defaultMaxClockSkew
    /// Payloads above this are refused unread.
    public var maxPayloadBytes = 64 * 1024
    /// How many recent dead-letter samples to keep.
    public var deadLetterSamples = 20
    /// Holds the alarm spool (`alarm-spool.jsonl`).
    public var stateDirectory = "./.hearth/state"
    /// At most this many alarm transitions wait for PostgreSQL; beyond it the
    /// subscriber waits (back-pressure) rather than drop one.
    public var alarmSpoolLimit = 100_000
    /// Redis Streams input: stream, consumer group, and this consumer's name.
    public var streamName = "hearth:readings"
    public var streamGroup = "hearth"
    public var streamConsumer = "subscriber"
    /// Entries per XREADGROUP.
    public var streamBatchSize = 512
    /// MQTT client id (a shared subscription needs a distinct one per process).
    public var mqttClientID = "hearth-subscriber"
    /// History COPY cadence: whichever comes first.
    public var historyFlushInterval: Duration = .milliseconds(500)
    public var historyFlushRows = 5_000
    /// History rows kept in memory while PostgreSQL is away; older ones are dropped beyond it.
    public var historyBufferLimit = 200_000
    /// How often the estate version and the key folder are checked.
    public var estatePollInterval: Duration = .seconds(1)
    /// How long a graceful shutdown keeps retrying Redis and PostgreSQL to
    /// flush what it holds before it gives up (and says so).
    public var shutdownFlushTimeout: Duration = .seconds(15)

    public init(mqttURL: String, redisURL: String, postgresURL: String, keyDirectory: String) {
        self.mqttURL = mqttURL
        self.redisURL = redisURL
        self.postgresURL = postgresURL
        self.keyDirectory = keyDirectory
    }

    /// The MQTT filter for readings.
    var readingFilter: String {
        sharedSubscription ? "$share/hearth/houses/+/sensors/+" : "houses/+/sensors/+"
    }

    var usesMQTT: Bool { transport != .redisStream }
    var usesStream: Bool { transport != .mqtt }
}
