import Foundation
@testable import Harness
import Redis
import Reports
import ServiceLifecycle
import Stack
import Testing

@Suite("RunObserver against redis-server", .serialized)
struct ObserverIntegrationTests {
    @Test("INFO becomes a sample; TTLs of sampled latest keys land near the top of the TTL")
    func infoAndTTL() async throws {
        try await withRedis { stack, redis in
            let ledger = LatestKeyLedger()
            try await storeLatest(0 ..< 500, on: redis, ledger: ledger, ttl: 600)
            let redisPID = try #require(await stack.status().first { $0.service == .redis }?.pid)
            let observer = RunObserver(ObserverConfiguration(
                redis: redis.configuration, latestTTL: .seconds(600), ttlSampleSize: 100, ttlBuckets: 10,
                processes: [ObservedProcess(name: "harness", pid: getpid()), ObservedProcess(name: "redis", pid: redisPID)],
                ledger: ledger
            ))
            await observer.sampleOnce()
            let recording = await observer.recording
            let sample = try #require(recording.redis.first)
            #expect(sample.keys == 500)
            #expect(sample.keysWithExpiry == 500)
            #expect(sample.maxMemory == 256 * 1024 * 1024)
            #expect(sample.usedMemory > 500 * 300)
            let ttl = try #require(recording.ttl.samples.first)
            #expect(ttl.sampled == 100)
            #expect(ttl.missing == 0)
            #expect(ttl.counts.reduce(0, +) == 100)
            #expect(ttl.counts.last == 100)
            #expect(recording.lostLatestKeys.total == 0)
            #expect(recording.redisVersion?.isEmpty == false)
            #expect(recording.processes.map(\.name) == ["harness", "redis"])
            #expect(recording.processes.allSatisfy { $0.samples.first?.rssBytes ?? 0 > 0 })
        }
    }

    @Test("expiries show as a rate, and keys that expired on time are not called lost")
    func expiryRate() async throws {
        try await withRedis { _, redis in
            let ledger = LatestKeyLedger()
            // A TTL of 2 s, not 1: on a loaded machine, storing the keys and
            // the first sample took over a second, and the keys were gone
            // before the "before" sample saw them.
            try await storeLatest(0 ..< 300, on: redis, ledger: ledger, ttl: 2)
            let observer = RunObserver(ObserverConfiguration(redis: redis.configuration, latestTTL: .seconds(2), ttlSampleSize: 50, ledger: ledger))
            await observer.sampleOnce()
            try await Task.sleep(for: .milliseconds(3500))
            await observer.sampleOnce()
            let recording = await observer.recording
            #expect(recording.redis.count == 2)
            #expect(recording.redis[1].expiredKeys > recording.redis[0].expiredKeys)
            #expect(recording.redis[1].expiredPerSecond > 0)
            #expect(recording.ttl.samples.last?.missing ?? 0 > 0)
            #expect(recording.lostLatestKeys.total == 0)
        }
    }

    @Test("with a tiny maxmemory, evicted latest keys are found and named, and evictions show as a rate")
    func evictionDetection() async throws {
        try await withRedis(maxMemory: "2mb") { _, redis in
            let ledger = LatestKeyLedger()
            let observer = RunObserver(ObserverConfiguration(redis: redis.configuration, latestTTL: .seconds(3600), ttlSampleSize: 200,
                                                             sweepPerInterval: 100_000, ledger: ledger))
            await observer.sampleOnce()
            // About 400 bytes a key: 20,000 keys need four times the limit.
            for start in stride(from: 0, to: 20_000, by: 1000) {
                try await storeLatest(start ..< start + 1000, on: redis, ledger: ledger)
            }
            await observer.sampleOnce()
            try await observer.sweepAll()
            let recording = await observer.recording
            let remaining = try await redis.dbsize()
            #expect(remaining < 20_000)
            #expect(recording.evictions > 0)
            #expect(recording.redis.last?.evictedPerSecond ?? 0 > 0)
            #expect(recording.lostLatestKeys.total == 20_000 - remaining)
            let listed = try #require(recording.lostLatestKeys.sensors.first)
            #expect(try await redis.command("EXISTS", .text(listed.key)) == .integer(0))
            #expect(listed.storedSecondsBefore < 3600)
        }
    }

    @Test("as a Service it samples on its own until cancelled, then stops promptly")
    func service() async throws {
        try await withRedis { _, redis in
            let observer = RunObserver(ObserverConfiguration(redis: redis.configuration, interval: .milliseconds(200)))
            // Waits for five samples rather than sleeping for five intervals: on a loaded
            // machine a fixed 1.1 s saw only three, which says nothing about the observer.
            var cancelledAt = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await observer.run() }
                let deadline = ContinuousClock.now + .seconds(30)
                while await observer.recording.redis.count < 5, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                }
                cancelledAt = ContinuousClock.now
                group.cancelAll()
                try await group.waitForAll()
            }
            #expect(ContinuousClock.now - cancelledAt < .seconds(3), "it stops promptly once cancelled")
            let samples = await observer.recording.redis
            #expect(samples.count >= 5, "it samples on its own")
            #expect(zip(samples, samples.dropFirst()).allSatisfy { $0.t < $1.t })
        }
    }

    @Test("the recording fills a report: series, evictions per stage, redis version and run id")
    func applyToReport() {
        var recording = ObserverRecording(ttl: TTLReport(ttlSeconds: 60))
        recording.redis = (0 ..< 10).map { RedisSample(t: Double($0), usedMemory: 1, maxMemory: 2, evictedKeys: $0 * 5, expiredKeys: 0, keys: 1, keysWithExpiry: 1) }
        recording.redisVersion = "7.0.15"
        recording.redisRunId = "abc"
        let start = Date()
        var report = RunReport(scenario: ScenarioInfo(name: "x"), run: RunInfo(startedAt: start, endedAt: start),
                               stages: [StageSummary(name: "warm", startSeconds: 0, endSeconds: 3, measured: false),
                                        StageSummary(name: "peak", startSeconds: 3, endSeconds: 9, measured: true)])
        recording.apply(to: &report)
        #expect(report.stages.map(\.counts.evictions) == [15, 30])
        #expect(report.counts.evictions == 30)
        #expect(recording.evictions == 45)
        #expect(report.versions.redis == "7.0.15")
        #expect(report.run.redisRunId == "abc")
        #expect(report.redis.count == 10)
    }
}
