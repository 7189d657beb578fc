import Reports

/// The figures a run shows while it goes: on the terminal's progress line,
/// and on the dashboard's run page.
public struct RunProgress: Sendable, Equatable {
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
    public var outstanding: Int
    public var alarms: Int
    /// How far behind its schedule the publisher has been at worst.
    public var maxLagMilliseconds: Double
    public var finished: Bool

    public init(
        scenario: String, stage: String, elapsedSeconds: Double, remainingSeconds: Double, sentPerSecond: Double,
        targetPerSecond: Double, p99Milliseconds: Double?, redisUsedBytes: Int, redisMaxBytes: Int, evictedKeys: Int,
        outstanding: Int, alarms: Int, maxLagMilliseconds: Double, finished: Bool
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
        self.outstanding = outstanding
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
            "in flight \(Format.count(outstanding))",
        ]
        if alarms > 0 { parts.append("alarms \(alarms)") }
        if maxLagMilliseconds >= 100 { parts.append("behind schedule by up to \(Format.milliseconds(maxLagMilliseconds))") }
        return parts.joined(separator: " | ")
    }
}
