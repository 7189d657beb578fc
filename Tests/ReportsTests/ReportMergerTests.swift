import Foundation
@testable import Reports
import Testing

@Suite("hearth report merge")
struct ReportMergerTests {
    @Test("counts add, histograms add bucket-wise, percentiles are recomputed")
    func countsAndLatency() throws {
        let a = ReportFixtures.report(shard: "1/2")
        let b = ReportFixtures.report(scale: 3, lost: 2, shard: "2/2")
        let merged = try ReportMerger.merge([a, b], sources: ["a.json", "b.json"])
        #expect(merged.counts.sent == 1_500)
        #expect(merged.counts.lost == 2)
        #expect(merged.counts.deadLettered == [DeadLetterCount(reason: "bad_token", count: 6)])
        var union = try #require(a.latency(.endToEnd)).histogram.decoded()
        union.add(try #require(b.latency(.endToEnd)).histogram.decoded())
        let record = try #require(merged.latency(.endToEnd))
        #expect(record.summary == union.latencySummary)
        #expect(record.summary.count == a.latency(.endToEnd)!.summary.count * 2)
        #expect(merged.latency.count == a.latency.count)
        #expect(merged.run.mergedFrom == ["a.json", "b.json"])
        #expect(merged.stages.first { $0.name == "constant" }?.counts.sent == 1_500)
        #expect(merged.verdict == .ungated)
    }

    @Test("series line up on the merged clock: a shard that started 2 s later adds into the right seconds")
    func seriesByTime() throws {
        let a = ReportFixtures.report(seconds: 10)
        let b = ReportFixtures.report(seconds: 10, start: ReportFixtures.start.addingTimeInterval(2))
        let merged = try ReportMerger.merge([a, b], sources: ["a", "b"])
        #expect(merged.throughput.count == 12)
        #expect(merged.throughput.first?.sent == 50)
        #expect(merged.throughput[2].sent == 100)
        #expect(merged.throughput.last?.t == 11)
        #expect(merged.latencyTimeline[2].count == 100)
        #expect(merged.latencyTimeline[0].count == 50)
        #expect(merged.run.endedAt == b.run.endedAt)
    }

    @Test("shards sharing one Redis count its evictions and samples once; separate servers add up")
    func sharedRedis() throws {
        let shared = try ReportMerger.merge([ReportFixtures.report(), ReportFixtures.report()], sources: ["a", "b"])
        #expect(shared.counts.evictions == 40)
        #expect(shared.redis.count == 20)
        #expect(shared.redis[3].usedMemory == 1_150_000)
        let separate = try ReportMerger.merge([ReportFixtures.report(redisRunId: "x"), ReportFixtures.report(redisRunId: "y")], sources: ["a", "b"])
        #expect(separate.counts.evictions == 80)
        #expect(separate.redis[3].usedMemory == 2_300_000)
        #expect(separate.lostLatestKeys.total == 1)
    }

    @Test("reports of different scenarios are refused")
    func differentScenarios() {
        let error = #expect(throws: ReportError.self) {
            try ReportMerger.merge([ReportFixtures.report(), ReportFixtures.report(name: "smoke")], sources: ["a.json", "b.json"])
        }
        #expect(error?.code == .incompatible)
        #expect(error?.message.contains("b.json") == true)
    }

    @Test("fernet costs average by message count; each shard keeps its own harness process")
    func observations() throws {
        var b = ReportFixtures.report(shard: "2/2")
        b.fernet = [FernetCost(kind: "fire_co", messages: 1_500, encryptMicroseconds: 4.1, decryptMicroseconds: 2.4, plaintextBytes: 240, tokenBytes: 404)]
        b.processes[0].pid = 200
        let merged = try ReportMerger.merge([ReportFixtures.report(shard: "1/2"), b], sources: ["a", "b"])
        #expect(merged.fernet.count == 1)
        #expect(abs(merged.fernet[0].encryptMicroseconds - 3.6) < 1e-9)
        #expect(merged.processes.map(\.name) == ["harness (shard 1/2)", "redis", "harness (shard 2/2)"])
    }
}
