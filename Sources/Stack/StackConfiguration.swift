/// Everything the embedded stack needs to know before it starts.
///
/// The defaults are the contract in DESIGN.md: Redis with `maxmemory 256mb`,
/// `allkeys-lru` and no persistence; Mosquitto with TCP_NODELAY and a queue
/// limit far above the default of 1000, which silently drops QoS 1 messages
/// that were already acknowledged.
public struct StackConfiguration: Sendable {
    /// Which servers to start. Tests that need only one start only one.
    public var services: Set<StackService>
    public var redis: RedisOptions
    public var mqtt: MosquittoOptions
    public var postgres: PostgresOptions
    /// Where the private run directory is created; `nil` means `$TMPDIR` or `/tmp`.
    public var runDirectoryParent: String?
    /// How long each server may take to answer before start-up fails.
    public var startTimeoutSeconds: Double
    /// Fixed ports; a service not named here gets a free loopback port.
    public var ports: [StackService: Int]

    public init(
        services: Set<StackService> = Set(StackService.allCases),
        redis: RedisOptions = .init(),
        mqtt: MosquittoOptions = .init(),
        postgres: PostgresOptions = .init(),
        runDirectoryParent: String? = nil,
        startTimeoutSeconds: Double = 60,
        ports: [StackService: Int] = [:]
    ) {
        self.ports = ports
        self.services = services
        self.redis = redis
        self.mqtt = mqtt
        self.postgres = postgres
        self.runDirectoryParent = runDirectoryParent
        self.startTimeoutSeconds = startTimeoutSeconds
    }

    public struct RedisOptions: Sendable {
        /// Redis's own size syntax: `256mb`, `8mb`, `1gb`.
        public var maxMemory: String
        public var maxMemoryPolicy: String
        /// RDB snapshots and AOF; off by default because a load test measures
        /// the cache, not the disk.
        public var persistence: Bool

        public init(maxMemory: String = "256mb", maxMemoryPolicy: String = "allkeys-lru", persistence: Bool = false) {
            self.maxMemory = maxMemory
            self.maxMemoryPolicy = maxMemoryPolicy
            self.persistence = persistence
        }
    }

    public struct MosquittoOptions: Sendable {
        /// Nagle's algorithm otherwise adds tails of about 40 ms to every latency figure.
        public var tcpNoDelay: Bool
        /// Keeps persistent sessions and queued QoS 1 messages across a broker
        /// restart (written on shutdown and every `autosave` seconds).
        public var persistence: Bool
        /// Per-client queue limit; 0 means unlimited. The broker default of 1000
        /// drops messages at full rate.
        public var maxQueuedMessages: Int
        /// Outgoing QoS 1/2 messages in flight per client; 0 means unlimited.
        public var maxInflightMessages: Int
        /// Serve MQTT over TLS only, with a CA and certificate made for this
        /// stack (`EmbeddedStack.mqttCAFile`); the endpoint becomes `mqtts://`.
        public var tls: Bool
        /// `max_keepalive` (10–65535, mosquitto's range): MQTT 5 clients
        /// asking for a longer keep-alive are told this one in CONNACK
        /// (Server Keep Alive); nil keeps the broker's default (65535).
        public var maxKeepAliveSeconds: Int?

        public init(tcpNoDelay: Bool = true, persistence: Bool = false, maxQueuedMessages: Int = 10_000_000, maxInflightMessages: Int = 0, tls: Bool = false,
                    maxKeepAliveSeconds: Int? = nil) {
            self.tls = tls
            self.maxKeepAliveSeconds = maxKeepAliveSeconds
            self.tcpNoDelay = tcpNoDelay
            self.persistence = persistence
            self.maxQueuedMessages = maxQueuedMessages
            self.maxInflightMessages = maxInflightMessages
        }
    }

    public struct PostgresOptions: Sendable {
        /// fsync, synchronous_commit and full_page_writes off: the embedded
        /// database is a scratch database for a run, and durability against
        /// power loss would only measure the disk.
        public var durable: Bool
        public var maxConnections: Int

        public init(durable: Bool = false, maxConnections: Int = 100) {
            self.durable = durable
            self.maxConnections = maxConnections
        }
    }
}
