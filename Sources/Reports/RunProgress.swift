/// The figures a run shows while it goes: on the terminal's progress line,
/// and on the dashboard's run page (`GET /run`, the run events), whose JSON
/// is this type's, snake_case, with every field present (`null` for no p99).
public struct RunProgress: Sendable, Equatable, Codable {
    public var scenario: String
    public var stage: String
    public var elapsedSeconds: Double
    public var remainingSeconds: Double
    /// Readings sent during the last second, and what the schedule asked for.
    public var sentPerSecond: Double
    public var targetPerSecond: Double
    /// End-to-end p99 (from the intended time) of the last full second.
    public var p99Milliseconds: Double?
    public var redisUsedBytes: Int
    /// 0: no limit.
    public var redisMaxBytes: Int
    /// Keys Redis evicted since the run started.
    public var evictedKeys: Int
    /// Sent but not stored yet: in flight, or lost.
    public var outstandingReadings: Int
    public var alarms: Int
    /// How far behind its schedule the publisher has been at worst.
    public var maxLagMilliseconds: Double
    public var finished: Bool

    public init(
        scenario: String, stage: String, elapsedSeconds: Double, remainingSeconds: Double, sentPerSecond: Double,
        targetPerSecond: Double, p99Milliseconds: Double?, redisUsedBytes: Int, redisMaxBytes: Int, evictedKeys: Int,
        outstandingReadings: Int, alarms: Int = 0, maxLagMilliseconds: Double = 0, finished: Bool
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
        self.alarms = alarms
        self.maxLagMilliseconds = maxLagMilliseconds
        self.finished = finished
    }

    /// One line: `[peak] 12s / 30s left 18s | sent 4,980/s of 5,000/s | p99 3.2 ms | redis 12 MB of 256 MB | evicted 0 | alarms 1`.
    public var line: String {
        var parts = [
            "[\(stage)] \(Int(elapsedSeconds))s, \(Int(remainingSeconds.rounded(.up)))s left",
            "sent \(Format.rate(sentPerSecond)) of \(Format.rate(targetPerSecond))",
            "p99 " + (p99Milliseconds.map(Format.milliseconds) ?? "–"),
            "redis \(Format.bytes(Double(redisUsedBytes)))" + (redisMaxBytes > 0 ? " of \(Format.bytes(Double(redisMaxBytes)))" : ""),
            "evicted \(Format.count(evictedKeys))",
            "in flight \(Format.count(outstandingReadings))",
        ]
        if alarms > 0 { parts.append("alarms \(alarms)") }
        if maxLagMilliseconds >= 100 { parts.append("behind schedule by up to \(Format.milliseconds(maxLagMilliseconds))") }
        return parts.joined(separator: " | ")
    }

    enum CodingKeys: String, CodingKey {
        case scenario, stage, alarms, finished
        case elapsedSeconds = "elapsed_seconds"
        case remainingSeconds = "remaining_seconds"
        case sentPerSecond = "sent_per_second"
        case targetPerSecond = "target_per_second"
        case p99Milliseconds = "p99_milliseconds"
        case redisUsedBytes = "redis_used_bytes"
        case redisMaxBytes = "redis_max_bytes"
        case evictedKeys = "evicted_keys"
        case outstandingReadings = "outstanding_readings"
        case maxLagMilliseconds = "max_lag_milliseconds"
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
        try container.encode(alarms, forKey: .alarms)
        try container.encode(maxLagMilliseconds, forKey: .maxLagMilliseconds)
        try container.encode(finished, forKey: .finished)
    }
}
