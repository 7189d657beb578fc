import Foundation
import Reports

/// Reports with realistic content, built without I/O, for the unit tests.
enum ReportFixtures {
    static let start = Date(timeIntervalSince1970: 1_760_000_000.25)

    /// A latency histogram of `count` values spread evenly from `low` to `high` milliseconds.
    static func histogram(count: Int, fromMs low: Double, toMs high: Double) -> LatencyHistogram {
        var histogram = LatencyHistogram.latency()
        for index in 0 ..< count {
            let ms = low + (high - low) * Double(index) / Double(max(1, count - 1))
            histogram.recordLatency(nanoseconds: Int64(ms * 1_000_000))
        }
        return histogram
    }

    /// A run of `seconds` seconds with two stages, two kinds, Redis and TTL
    /// samples, alarms, processes and gates; `scale` stretches every latency.
    static func report(name: String = "ci-gate", seconds: Int = 20, scale: Double = 1, lost: Int = 0, stored: Int? = nil,
                       start: Date = start, shard: String? = nil, redisRunId: String? = "redis-run-1",
                       gates: [GateResult] = defaultGates) -> RunReport {
        var recorder = LatencyRecorder()
        for second in 0 ..< seconds {
            let stage = second < 5 ? "warm_up" : "constant"
            for index in 0 ..< 50 {
                let ms = (1 + Double(index % 25) * 0.2 + (index == 49 ? 20 : 0)) * scale
                let nanoseconds = Int64(ms * 1_000_000)
                for span in LatencySpan.allCases {
                    recorder.record(span, nanoseconds: span == .endToEnd ? nanoseconds : nanoseconds / 3,
                                    stage: stage, kind: index % 2 == 0 ? "fire_co" : "leak", measured: stage != "warm_up", second: second)
                }
            }
        }
        let storedCount = stored ?? 750
        let stages = [
            StageSummary(name: "warm_up", startSeconds: 0, endSeconds: 5, measured: false, plannedRatePerSecond: 25,
                         counts: MessageCounts(sent: 250, received: 250, stored: 250)),
            StageSummary(name: "constant", startSeconds: 5, endSeconds: Double(seconds), measured: true, plannedRatePerSecond: 50,
                         counts: MessageCounts(sent: 750, received: 750 - lost, stored: storedCount, lost: lost)),
        ]
        let redis = (0 ..< seconds).map { second in
            RedisSample(t: Double(second), usedMemory: 1_000_000 + second * 50_000, maxMemory: 8 * 1_048_576,
                        evictedKeys: max(0, second - 15) * 10, expiredKeys: second * 2,
                        evictedPerSecond: second > 15 ? 10 : 0, expiredPerSecond: 2, keys: second * 50, keysWithExpiry: second * 50)
        }
        let buckets = TTLReport.evenBuckets(ttlSeconds: 60, buckets: 6)
        let ttl = TTLReport(ttlSeconds: 60, bucketUpperBounds: buckets, samples: (0 ..< seconds).map { second in
            TTLSample(t: Double(second), sampled: 12, missing: second > 15 ? 1 : 0, counts: [0, 1, 1, 2, 3, 5])
        })
        let alarmHistogram = histogram(count: 4, fromMs: 3 * scale, toMs: 9 * scale)
        return RunReport(
            scenario: ScenarioInfo(name: name, description: "A test run.", summary: "\(name): 10 houses", seed: 7,
                                   yaml: "name: \(name)\nload: { rate: 50/s } # </script><script>alert(1)</script>\n", file: "Scenarios/\(name).yaml"),
            versions: SoftwareVersions(hearth: "0.1.0", redis: "7.0.15", mosquitto: "2.0.11", postgres: "15.8"),
            run: RunInfo(startedAt: start, endedAt: start.addingTimeInterval(Double(seconds)), shard: shard, host: "test", redisRunId: redisRunId),
            stages: stages,
            counts: MessageCounts(sent: 750, received: 750 - lost, stored: storedCount, lost: lost, duplicates: 1, outOfOrder: 2, evictions: 40,
                                  deadLettered: [DeadLetterCount(reason: "bad_token", count: 3)]),
            latency: recorder.records,
            latencyTimeline: recorder.timeline,
            throughput: (0 ..< seconds).map { ThroughputPoint(t: Double($0), sent: 50, received: 50, stored: 50) },
            alarms: AlarmReport(
                toPostgres: LatencyRecord(span: .endToEnd, histogram: alarmHistogram),
                toMQTT: LatencyRecord(span: .endToEnd, histogram: alarmHistogram),
                timeline: [AlarmTimelineEntry(t: 7.5, house: 3, sensor: 11, kind: "fire_co", alarm: "smoke", state: .raised, postgresMs: 4.2, mqttMs: 3.1)]
            ),
            redis: redis,
            ttl: ttl,
            lostLatestKeys: LostLatestKeys(total: 1, sensors: [LostLatestKey(house: 2, sensor: 9, detectedAt: 17, storedSecondsBefore: 12)]),
            fernet: [FernetCost(kind: "fire_co", messages: 500, encryptMicroseconds: 2.1, decryptMicroseconds: 2.4, plaintextBytes: 240, tokenBytes: 404)],
            processes: [
                ProcessSeries(name: "harness", pid: 100, samples: (0 ..< seconds).map { ProcessSample(t: Double($0), cpuPercent: 40, rssBytes: 50_000_000) }),
                ProcessSeries(name: "redis", pid: 101, samples: (0 ..< seconds).map { ProcessSample(t: Double($0), cpuPercent: 12, rssBytes: 9_000_000) }),
            ],
            gates: gates
        )
    }

    static let defaultGates = [
        GateResult(name: "p99_latency < 50ms", metric: "p99_latency", threshold: "< 50ms", observed: 0.0212, observedText: "21.2ms", passed: true,
                   location: "Scenarios/ci-gate.yaml:29:16"),
        GateResult(name: "loss == 0", metric: "loss", threshold: "== 0", observed: 3, observedText: "3 (0.4%)", passed: false,
                   location: "Scenarios/ci-gate.yaml:30:9"),
    ]
}
