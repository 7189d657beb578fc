import Redis

/// What the ``RunObserver`` watches and how often.
public struct ObserverConfiguration: Sendable {
    /// The Redis the subscriber writes to; the observer opens its own
    /// connection, so its INFO and PTTL never queue behind the hot path.
    public var redis: RedisConfiguration
    /// Time between samples.
    public var interval: Duration
    /// The `EX` of the latest keys: a key stored less than this long ago
    /// should exist.
    public var latestTTL: Duration
    /// Latest keys whose PTTL is sampled each interval (pipelined).
    public var ttlSampleSize: Int
    /// Buckets of the TTL histogram, evenly from 0 to the TTL.
    public var ttlBuckets: Int
    /// Latest keys checked for existence each interval, walking through
    /// every stored sensor in turn, so that evictions are found even among
    /// keys the random sample misses. 5,000 EXISTS cost Redis about a
    /// millisecond.
    public var sweepPerInterval: Int
    /// Processes whose CPU and memory are sampled.
    public var processes: [ObservedProcess]
    /// Where the subscriber notes its stores; without it the observer
    /// samples INFO and processes only.
    public var ledger: LatestKeyLedger?
    /// Series times are seconds since this instant.
    public var runStart: ContinuousClock.Instant

    public init(
        redis: RedisConfiguration,
        interval: Duration = .seconds(1),
        latestTTL: Duration = .seconds(3600),
        ttlSampleSize: Int = 200,
        ttlBuckets: Int = 12,
        sweepPerInterval: Int = 5000,
        processes: [ObservedProcess] = [],
        ledger: LatestKeyLedger? = nil,
        runStart: ContinuousClock.Instant = .now
    ) {
        self.redis = redis
        self.interval = interval
        self.latestTTL = latestTTL
        self.ttlSampleSize = ttlSampleSize
        self.ttlBuckets = ttlBuckets
        self.sweepPerInterval = sweepPerInterval
        self.processes = processes
        self.ledger = ledger
        self.runStart = runStart
    }
}
