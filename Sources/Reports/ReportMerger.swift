import Foundation

/// `hearth report merge`: one report from the reports of a sharded run.
///
/// Counts add up; latency histograms add bucket by bucket and percentiles
/// are computed again from the sum (averaging percentiles would be wrong);
/// series are put on the merged run's clock and added second by second.
/// Shards that watched the same Redis server (same `run_id`) report the same
/// memory and evictions, so those are taken once, not added. Gates are left
/// empty: the caller judges the merged figures against the scenario again.
public enum ReportMerger {
    public static func merge(_ reports: [RunReport], sources: [String]) throws(ReportError) -> RunReport {
        guard let first = reports.first else { throw ReportError(.incompatible, "give at least one report to merge") }
        for (index, report) in reports.enumerated() where report.scenario.name != first.scenario.name {
            throw ReportError(.incompatible, "\(sources[safe: index] ?? "a report") is of scenario '\(report.scenario.name)', not '\(first.scenario.name)'; merge shards of one run")
        }
        let start = reports.map(\.run.startedAt).min()!
        let end = reports.map(\.run.endedAt).max()!
        let offsets = reports.map { $0.run.startedAt.timeIntervalSince(start) }
        let runIDs = Set(reports.map(\.run.redisRunId))
        let sharedRedis = runIDs.count == 1 && runIDs.first! != nil

        var counts = MessageCounts()
        for report in reports { counts.add(report.counts) }
        if sharedRedis { counts.evictions = reports.map(\.counts.evictions).max() ?? 0 }

        var merged = RunReport(
            scenario: first.scenario,
            versions: first.versions,
            run: RunInfo(startedAt: start, endedAt: end, host: first.run.host, mergedFrom: sources, redisRunId: sharedRedis ? first.run.redisRunId : nil),
            stages: mergeStages(reports, offsets: offsets, sharedRedis: sharedRedis),
            counts: counts,
            latency: try mergeLatency(reports.map(\.latency)),
            latencyTimeline: try mergeTimeline(reports, offsets: offsets),
            throughput: mergeThroughput(reports, offsets: offsets),
            alarms: try mergeAlarms(reports, offsets: offsets),
            redis: mergeRedis(reports, offsets: offsets, shared: sharedRedis),
            ttl: mergeTTL(reports, offsets: offsets),
            lostLatestKeys: mergeLostKeys(reports, offsets: offsets),
            fernet: mergeFernet(reports),
            processes: mergeProcesses(reports, offsets: offsets)
        )
        merged.judge([])
        return merged
    }

    /// Adds histograms with the same identity; checks layouts first, because
    /// HdrHistogram traps on a mismatch.
    static func mergeLatency(_ lists: [[LatencyRecord]]) throws(ReportError) -> [LatencyRecord] {
        var order: [String] = []
        var sums: [String: (record: LatencyRecord, histogram: LatencyHistogram)] = [:]
        for list in lists {
            for record in list {
                let histogram = try record.histogram.decoded()
                if var sum = sums[record.identity] {
                    try add(histogram, to: &sum.histogram, what: record.label)
                    sums[record.identity] = sum
                } else {
                    order.append(record.identity)
                    sums[record.identity] = (record, histogram)
                }
            }
        }
        return order.map { identity in
            let (record, histogram) = sums[identity]!
            return LatencyRecord(span: record.span, stage: record.stage, kind: record.kind, histogram: histogram)
        }
    }

    static func add(_ histogram: LatencyHistogram, to sum: inout LatencyHistogram, what: String) throws(ReportError) {
        guard histogram.numberOfSignificantValueDigits == sum.numberOfSignificantValueDigits,
              histogram.lowestDiscernibleValue == sum.lowestDiscernibleValue else {
            throw ReportError(.incompatible, "the \(what) histograms have different layouts and cannot be added")
        }
        sum.autoResize = true
        sum.add(histogram)
    }

    private static func mergeStages(_ reports: [RunReport], offsets: [Double], sharedRedis: Bool) -> [StageSummary] {
        var order: [String] = []
        var stages: [String: StageSummary] = [:]
        for (report, offset) in zip(reports, offsets) {
            for stage in report.stages {
                guard var sum = stages[stage.name] else {
                    order.append(stage.name)
                    var rebased = stage
                    rebased.startSeconds += offset
                    rebased.endSeconds += offset
                    stages[stage.name] = rebased
                    continue
                }
                let evictions = sum.counts.evictions
                sum.counts.add(stage.counts)
                if sharedRedis { sum.counts.evictions = max(evictions, stage.counts.evictions) }
                sum.plannedRatePerSecond += stage.plannedRatePerSecond
                sum.startSeconds = min(sum.startSeconds, stage.startSeconds + offset)
                sum.endSeconds = max(sum.endSeconds, stage.endSeconds + offset)
                stages[stage.name] = sum
            }
        }
        return order.map { stages[$0]! }
    }

    private static func mergeTimeline(_ reports: [RunReport], offsets: [Double]) throws(ReportError) -> [LatencyPoint] {
        var seconds: [Int: LatencyHistogram] = [:]
        for (report, offset) in zip(reports, offsets) {
            for point in report.latencyTimeline {
                let second = Self.second(point.t + offset)
                let histogram = try point.histogram.decoded()
                if var sum = seconds[second] {
                    try add(histogram, to: &sum, what: "per-second latency")
                    seconds[second] = sum
                } else {
                    seconds[second] = histogram
                }
            }
        }
        return seconds.keys.sorted().map { LatencyPoint(t: Double($0), histogram: seconds[$0]!) }
    }

    private static func mergeThroughput(_ reports: [RunReport], offsets: [Double]) -> [ThroughputPoint] {
        var seconds: [Int: ThroughputPoint] = [:]
        for (report, offset) in zip(reports, offsets) {
            for point in report.throughput {
                let second = Self.second(point.t + offset)
                var sum = seconds[second] ?? ThroughputPoint(t: Double(second))
                sum.sent += point.sent
                sum.received += point.received
                sum.stored += point.stored
                seconds[second] = sum
            }
        }
        return seconds.keys.sorted().map { seconds[$0]! }
    }

    private static func mergeAlarms(_ reports: [RunReport], offsets: [Double]) throws(ReportError) -> AlarmReport {
        let postgres = try mergeLatency(reports.map { $0.alarms.toPostgres.map { [$0] } ?? [] })
        let mqtt = try mergeLatency(reports.map { $0.alarms.toMQTT.map { [$0] } ?? [] })
        var timeline: [AlarmTimelineEntry] = []
        for (report, offset) in zip(reports, offsets) {
            timeline += report.alarms.timeline.map { entry in
                var rebased = entry
                rebased.t += offset
                return rebased
            }
        }
        timeline.sort { ($0.t, $0.house, $0.sensor) < ($1.t, $1.house, $1.sensor) }
        return AlarmReport(toPostgres: postgres.first, toMQTT: mqtt.first, timeline: timeline)
    }

    private static func second(_ t: Double) -> Int { Int((t + 1e-6).rounded(.down)) }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
