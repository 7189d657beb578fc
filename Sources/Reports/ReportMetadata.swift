import Foundation

/// The scenario a report belongs to, complete enough to re-run it: the
/// resolved YAML (every default filled in), not just its name.
public struct ScenarioInfo: Codable, Sendable, Equatable {
    public var name: String
    public var description: String
    /// The one-line summary `hearth scenario validate` prints.
    public var summary: String
    public var seed: UInt64
    /// The scenario as YAML with every default filled in.
    public var yaml: String
    /// Where it was read from, if from a file.
    public var file: String?

    public init(name: String, description: String = "", summary: String = "", seed: UInt64 = 1, yaml: String = "", file: String? = nil) {
        self.name = name
        self.description = description
        self.summary = summary
        self.seed = seed
        self.yaml = yaml
        self.file = file
    }
}

/// What ran: hearth and each server, as the servers themselves report it
/// (Redis `redis_version`, mosquitto's `$SYS/broker/version`, PostgreSQL
/// `server_version`). Figures from different server versions are not
/// comparable, and `hearth report compare` says so.
public struct SoftwareVersions: Codable, Sendable, Equatable {
    public var hearth: String?
    public var redis: String?
    public var mosquitto: String?
    public var postgres: String?
    public var swift: String?

    public init(hearth: String? = nil, redis: String? = nil, mosquitto: String? = nil, postgres: String? = nil, swift: String? = nil) {
        self.hearth = hearth
        self.redis = redis
        self.mosquitto = mosquitto
        self.postgres = postgres
        self.swift = swift
    }

    /// `name version` pairs of everything known, for tables and messages.
    public var listed: [(name: String, version: String)] {
        [("hearth", hearth), ("redis", redis), ("mosquitto", mosquitto), ("postgres", postgres), ("swift", swift)]
            .compactMap { name, version in version.map { (name, $0) } }
    }
}

/// When and where the run happened.
public struct RunInfo: Codable, Sendable, Equatable {
    public var startedAt: Date
    public var endedAt: Date
    /// `i/n` when this report is one shard of a sharded run.
    public var shard: String?
    public var host: String?
    /// For a merged report: the reports it was made from, in the order given.
    public var mergedFrom: [String]?
    /// Redis's `run_id` (INFO server): shards that share one Redis report
    /// the same evictions and memory, so a merge must not add those up.
    public var redisRunId: String?
    /// True when the load was stopped early (Ctrl-C): the figures cover
    /// only what ran. Absent in complete runs.
    public var interrupted: Bool?
    /// What a reader should know to trust the figures: the publisher fell
    /// behind, a fault was injected, a flush failed.
    public var notes: [String]?

    public init(startedAt: Date, endedAt: Date, shard: String? = nil, host: String? = nil, mergedFrom: [String]? = nil, redisRunId: String? = nil) {
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.shard = shard
        self.host = host
        self.mergedFrom = mergedFrom
        self.redisRunId = redisRunId
    }

    public var durationSeconds: Double { endedAt.timeIntervalSince(startedAt) }
}
