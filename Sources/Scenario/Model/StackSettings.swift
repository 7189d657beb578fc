/// The servers a run talks to and how: hearth's own embedded processes by
/// default, or existing servers given by URL, plus the Redis limits that
/// capacity runs are about.
public struct StackSettings: Equatable, Sendable {
    public var mqtt: MQTTSettings
    public var redis: RedisSettings
    public var postgres: PostgresSettings
    /// Disables Nagle's algorithm at client and broker; off, latency tails
    /// gain about 40 ms (DESIGN.md, "The hot path").
    public var tcpNoDelay: Bool
    public var tls: Bool

    public init(
        mqtt: MQTTSettings = MQTTSettings(),
        redis: RedisSettings = RedisSettings(),
        postgres: PostgresSettings = PostgresSettings(),
        tcpNoDelay: Bool = true,
        tls: Bool = false
    ) {
        self.mqtt = mqtt
        self.redis = redis
        self.postgres = postgres
        self.tcpNoDelay = tcpNoDelay
        self.tls = tls
    }

    /// True when hearth starts every server itself.
    public var isFullyEmbedded: Bool {
        mqtt.endpoint == .embedded && redis.endpoint == .embedded && postgres.endpoint == .embedded
    }
}

public struct MQTTSettings: Equatable, Sendable {
    public var endpoint: ServiceEndpoint
    public var protocolVersion: MQTTProtocolVersion

    public init(endpoint: ServiceEndpoint = .embedded, protocolVersion: MQTTProtocolVersion = .v311) {
        self.endpoint = endpoint
        self.protocolVersion = protocolVersion
    }
}

public enum MQTTProtocolVersion: String, CaseIterable, Equatable, Sendable {
    case v311 = "3.1.1"
    /// Needed for shared subscriptions when subscribers scale out.
    case v5 = "5"
}

public struct RedisSettings: Equatable, Sendable {
    public var endpoint: ServiceEndpoint
    /// Redis's `maxmemory`.
    public var maxMemory: ByteSize
    /// Redis's `maxmemory-policy`.
    public var evictionPolicy: EvictionPolicy
    /// The `EX` of every `house:{h}:sensor:{s}:latest` key; whole seconds,
    /// because that is what `EX` takes.
    public var latestTTL: Duration

    public init(
        endpoint: ServiceEndpoint = .embedded,
        maxMemory: ByteSize = .megabytes(256),
        evictionPolicy: EvictionPolicy = .allKeysLRU,
        latestTTL: Duration = .seconds(3600)
    ) {
        self.endpoint = endpoint
        self.maxMemory = maxMemory
        self.evictionPolicy = evictionPolicy
        self.latestTTL = latestTTL
    }
}

/// Redis's `maxmemory-policy` values, spelled as redis.conf spells them.
public enum EvictionPolicy: String, CaseIterable, Equatable, Sendable {
    case noEviction = "noeviction"
    case allKeysLRU = "allkeys-lru"
    case allKeysLFU = "allkeys-lfu"
    case allKeysRandom = "allkeys-random"
    case volatileLRU = "volatile-lru"
    case volatileLFU = "volatile-lfu"
    case volatileRandom = "volatile-random"
    case volatileTTL = "volatile-ttl"
}

public struct PostgresSettings: Equatable, Sendable {
    public var endpoint: ServiceEndpoint

    public init(endpoint: ServiceEndpoint = .embedded) {
        self.endpoint = endpoint
    }
}
