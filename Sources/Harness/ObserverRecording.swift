import Reports

/// Everything the observer saw, in the report's own types.
public struct ObserverRecording: Sendable, Equatable {
    public var redis: [RedisSample] = []
    public var ttl: TTLReport
    public var lostLatestKeys = LostLatestKeys()
    public var processes: [ProcessSeries] = []
    /// From INFO server, for the report's versions and merge.
    public var redisVersion: String?
    public var redisRunId: String?
    /// Samples that failed (Redis unreachable, say) and the last reason.
    public var failedSamples = 0
    public var lastError: String?

    public init(ttl: TTLReport) {
        self.ttl = ttl
    }

    /// `evicted_keys` gained between the first and the last sample.
    public var evictions: Int {
        guard let first = redis.first, let last = redis.last else { return 0 }
        return max(0, last.evictedKeys - first.evictedKeys)
    }

    /// `evicted_keys` gained between `start` and `end` (seconds since the run
    /// started), from the samples nearest those times.
    public func evictions(from start: Double, to end: Double) -> Int {
        let before = redis.last { $0.t <= start } ?? redis.first
        let after = redis.last { $0.t <= end }
        guard let before, let after else { return 0 }
        return max(0, after.evictedKeys - before.evictedKeys)
    }

    /// Copies what the observer measured into a report, including the
    /// evictions of each stage and of the measured stages together (what
    /// eviction gates judge; the whole run when there are no stages).
    public func apply(to report: inout RunReport) {
        for index in report.stages.indices {
            report.stages[index].counts.evictions = evictions(from: report.stages[index].startSeconds, to: report.stages[index].endSeconds)
        }
        let measured = report.stages.filter(\.measured)
        report.counts.evictions = measured.isEmpty ? evictions : measured.reduce(0) { $0 + $1.counts.evictions }
        report.redis = redis
        report.ttl = ttl
        report.lostLatestKeys = lostLatestKeys
        report.processes = processes
        report.versions.redis = report.versions.redis ?? redisVersion
        report.run.redisRunId = redisRunId
    }
}
