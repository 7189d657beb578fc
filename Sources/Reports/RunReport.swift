import Foundation

/// Everything one run (or one shard of a run) measured: the model behind
/// `report.json`, `report.html` and `junit.xml`.
///
/// The JSON form is a contract with CI scripts and with `hearth report
/// compare` and `merge`, possibly across hearth versions, so it carries a
/// ``schemaVersion``; a reader refuses versions it does not know rather than
/// misreading them. Keys are snake_case. Times inside series are seconds
/// since ``RunInfo/startedAt``; latencies are milliseconds in summaries and
/// microseconds inside the encoded histograms.
public struct RunReport: Codable, Sendable, Equatable {
    /// Bumped whenever a field changes meaning or a required field appears.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var scenario: ScenarioInfo
    public var versions: SoftwareVersions
    public var run: RunInfo
    /// The stages as scheduled, with what each one counted.
    public var stages: [StageSummary]
    /// Totals over the measured stages.
    public var counts: MessageCounts
    /// One record per span, per stage (nil: all measured stages) and per
    /// sensor kind (nil: all kinds).
    public var latency: [LatencyRecord]
    /// End-to-end latency per second of the run.
    public var latencyTimeline: [LatencyPoint]
    /// Messages per second of the run.
    public var throughput: [ThroughputPoint]
    public var alarms: AlarmReport
    /// Redis INFO once a second.
    public var redis: [RedisSample]
    public var ttl: TTLReport
    public var lostLatestKeys: LostLatestKeys
    /// Fernet cost per sensor kind.
    public var fernet: [FernetCost]
    /// CPU and memory of the harness and of each server.
    public var processes: [ProcessSeries]
    public var gates: [GateResult]
    public var verdict: Verdict

    public init(
        scenario: ScenarioInfo,
        versions: SoftwareVersions = SoftwareVersions(),
        run: RunInfo,
        stages: [StageSummary] = [],
        counts: MessageCounts = MessageCounts(),
        latency: [LatencyRecord] = [],
        latencyTimeline: [LatencyPoint] = [],
        throughput: [ThroughputPoint] = [],
        alarms: AlarmReport = AlarmReport(),
        redis: [RedisSample] = [],
        ttl: TTLReport = TTLReport(),
        lostLatestKeys: LostLatestKeys = LostLatestKeys(),
        fernet: [FernetCost] = [],
        processes: [ProcessSeries] = [],
        gates: [GateResult] = []
    ) {
        self.schemaVersion = Self.currentSchemaVersion
        self.scenario = scenario
        self.versions = versions
        self.run = run
        self.stages = stages
        self.counts = counts
        self.latency = latency
        self.latencyTimeline = latencyTimeline
        self.throughput = throughput
        self.alarms = alarms
        self.redis = redis
        self.ttl = ttl
        self.lostLatestKeys = lostLatestKeys
        self.fernet = fernet
        self.processes = processes
        self.gates = gates
        self.verdict = Verdict(gates: gates)
    }

    /// The record for one span, stage and kind, if measured.
    public func latency(_ span: LatencySpan, stage: String? = nil, kind: String? = nil) -> LatencyRecord? {
        latency.first { $0.span == span && $0.stage == stage && $0.kind == kind }
    }

    /// Sets the gate results and the verdict that follows from them.
    public mutating func judge(_ results: [GateResult]) {
        gates = results
        verdict = Verdict(gates: results)
    }

    /// Readings stored per second over the measured stages.
    public var measuredThroughput: Double {
        let seconds = stages.filter(\.measured).reduce(0) { $0 + $1.durationSeconds }
        return seconds > 0 ? Double(counts.stored) / seconds : 0
    }
}

/// Whether the run passed: every gate held. A run without gates passes; its
/// report says so, so nobody mistakes "nothing checked" for "all good".
public enum Verdict: String, Codable, Sendable, Equatable {
    case passed
    case failed
    /// No gates were set.
    case ungated

    public init(gates: [GateResult]) {
        if gates.isEmpty {
            self = .ungated
        } else {
            self = gates.allSatisfy(\.passed) ? .passed : .failed
        }
    }

    /// What a person reads at the top of the report.
    public var headline: String {
        switch self {
        case .passed: "PASSED: every gate held"
        case .failed: "FAILED: at least one gate did not hold"
        case .ungated: "NO GATES: nothing was checked"
        }
    }
}
