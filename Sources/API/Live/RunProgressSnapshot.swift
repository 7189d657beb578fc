/// One second of a load run, as the terminal shows it and the dashboard's
/// run page draws it. `hearth run` makes one per second and hands it to a
/// ``RunProgressFeed``.
public struct RunProgressSnapshot: Sendable, Equatable, Codable {
    /// The scenario's name.
    public var scenario: String
    /// The load stage now running (`warm-up`, `peak`, …).
    public var stage: String
    public var elapsedSeconds: Double
    public var remainingSeconds: Double
    /// Readings sent in the last second, and what the schedule asked for.
    public var sentPerSecond: Double
    public var targetPerSecond: Double
    /// End-to-end p99 latency so far; nil before the first reading arrived.
    public var p99Milliseconds: Double?
    /// Redis `used_memory` against `maxmemory` (0: no limit).
    public var redisUsedBytes: Int
    public var redisMaxBytes: Int
    /// Redis `evicted_keys` since the run started.
    public var evictedKeys: Int
    /// Readings sent and not (yet) stored.
    public var outstandingReadings: Int
    /// True on the last snapshot of a run.
    public var finished: Bool

    public init(
        scenario: String, stage: String, elapsedSeconds: Double, remainingSeconds: Double,
        sentPerSecond: Double, targetPerSecond: Double, p99Milliseconds: Double?,
        redisUsedBytes: Int, redisMaxBytes: Int, evictedKeys: Int, outstandingReadings: Int, finished: Bool
    ) {
        self.scenario = scenario
        self.stage = stage
        self.elapsedSeconds = elapsedSeconds
        self.remainingSeconds = remainingSeconds
        self.sentPerSecond = sentPerSecond
        self.targetPerSecond = targetPerSecond
        self.p99Milliseconds = p99Milliseconds
        self.redisUsedBytes = redisUsedBytes
        self.redisMaxBytes = redisMaxBytes
        self.evictedKeys = evictedKeys
        self.outstandingReadings = outstandingReadings
        self.finished = finished
    }

    enum CodingKeys: String, CodingKey {
        case scenario, stage
        case elapsedSeconds = "elapsed_seconds"
        case remainingSeconds = "remaining_seconds"
        case sentPerSecond = "sent_per_second"
        case targetPerSecond = "target_per_second"
        case p99Milliseconds = "p99_milliseconds"
        case redisUsedBytes = "redis_used_bytes"
        case redisMaxBytes = "redis_max_bytes"
        case evictedKeys = "evicted_keys"
        case outstandingReadings = "outstanding_readings"
        case finished
    }

    /// As synthesised, but a missing p99 is written as `null`, not left out,
    /// so every snapshot has the same fields.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scenario, forKey: .scenario)
        try container.encode(stage, forKey: .stage)
        try container.encode(elapsedSeconds, forKey: .elapsedSeconds)
        try container.encode(remainingSeconds, forKey: .remainingSeconds)
        try container.encode(sentPerSecond, forKey: .sentPerSecond)
        try container.encode(targetPerSecond, forKey: .targetPerSecond)
        try container.encode(p99Milliseconds, forKey: .p99Milliseconds)
        try container.encode(redisUsedBytes, forKey: .redisUsedBytes)
        try container.encode(redisMaxBytes, forKey: .redisMaxBytes)
        try container.encode(evictedKeys, forKey: .evictedKeys)
        try container.encode(outstandingReadings, forKey: .outstandingReadings)
        try container.encode(finished, forKey: .finished)
    }
}
