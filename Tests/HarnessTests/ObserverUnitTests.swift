import Foundation
@testable import Harness
import Reports
import Scenario
import Testing

@Suite("Observer parsing and the Redis memory model")
struct ObserverUnitTests {
    @Test("/proc/PID/stat fields are counted from the last parenthesis")
    func statParsing() throws {
        let line = "4242 (redis (server) x) S 17 4242 4242 0 -1 4194560 310 0 0 0 150 25 3 4 20 0 4 0 1234 71000000 2048 184467 0 0 0"
        let stat = try #require(ProcessSampler.parseStat(line))
        #expect(stat.parent == 17)
        #expect(stat.ownTicks == 175)
        #expect(stat.childTicks == 7)
        #expect(stat.rssPages == 2048)
        #expect(ProcessSampler.parseStat("garbage") == nil)
    }

    @Test("this process is sampled with a resident size and, on the second sample, a CPU figure")
    func ownProcess() throws {
        var sampler = ProcessSampler(processes: [ObservedProcess(name: "harness", pid: getpid())])
        let start = ContinuousClock.now
        let first = sampler.sample(t: 0, at: start)
        var spin = 0.0
        for index in 0 ..< 5_000_000 { spin += Double(index).squareRoot() }
        let second = sampler.sample(t: 1, at: start + .milliseconds(50))
        #expect(spin > 0)
        #expect(first.count == 1 && second.count == 1)
        #expect(first[0].sample.rssBytes > 1_000_000)
        #expect(first[0].sample.cpuPercent == 0)
        #expect(second[0].sample.cpuPercent >= 0)
    }

    @Test("INFO fields become a sample; a missing keyspace line means no keys")
    func infoFields() {
        let info = ["used_memory": "1048576", "maxmemory": "8388608", "evicted_keys": "12", "expired_keys": "3",
                    "db0": "keys=40,expires=38,avg_ttl=3599000"]
        let sample = RedisInfoFields.sample(info, t: 2.5)
        #expect(sample == RedisSample(t: 2.5, usedMemory: 1_048_576, maxMemory: 8_388_608, evictedKeys: 12, expiredKeys: 3, keys: 40, keysWithExpiry: 38))
        #expect(RedisInfoFields.sample(["used_memory": "5"], t: 0).keys == 0)
    }

    @Test("the model's hash tables double at powers of two, and not near the limit")
    func memoryModel() {
        var fill = RedisMemoryModel.Fill(model: RedisMemoryModel(baseline: 1000, maxMemory: 0))
        for _ in 0 ..< 8 { fill.add(cost: 100) }
        #expect(fill.mainSlots == 8 && fill.expiresSlots == 8)
        fill.add(cost: 100)
        #expect(fill.mainSlots == 16)
        #expect(fill.usedMemory == 1000 + 900 + 8 * 32)

        // 1,024 keys of 100 B: doubling to 2,048 slots would need 16 KB more than the limit allows.
        let keysAndSlots: Double = 1024 * 100 + 16 * 1024
        let limit: Double = 1000 + keysAndSlots + 15_000
        var nearLimit = RedisMemoryModel.Fill(model: RedisMemoryModel(baseline: 1000, maxMemory: limit))
        for _ in 0 ..< 1025 { nearLimit.add(cost: 100) }
        #expect(nearLimit.mainSlots == 1024)
        while !nearLimit.isOverLimit { nearLimit.add(cost: 100) }
        #expect(nearLimit.keys == 1024 + 51 + 100)
        #expect(nearLimit.mainSlots == 1024)
    }

    @Test("the keyspace runs in sensor-id order, house by house, and carries on past the estate")
    func keyspaceOrder() throws {
        let scenario = try Scenario.parse(yaml: """
        name: order
        estate:
          houses:
            - { count: 2, sensors: { fire_co: 1, leak: 1 } }
            - { count: 1, sensors: { thermostat: 1 } }
        load: { rate: 1/s, duration: 10s }
        """)
        let keyspace = EstateKeyspace(estate: scenario.estate)
        var slots: [EstateKeyspace.Slot] = []
        keyspace.forEach(limit: 7) { slots.append($0); return true }
        #expect(slots.map(\.key) == [
            "house:{1}:sensor:1:latest", "house:{1}:sensor:2:latest", "house:{2}:sensor:3:latest", "house:{2}:sensor:4:latest",
            "house:{3}:sensor:5:latest", "house:{4}:sensor:6:latest", "house:{4}:sensor:7:latest",
        ])
        #expect(slots.map(\.kindIndex) == [0, 1, 0, 1, 2, 0, 1])
        #expect(slots.allSatisfy { $0.keyLength == $0.key.count })
        #expect(LatestKey.probe(length: 30, tag: 3)?.count == 30)
    }
}
