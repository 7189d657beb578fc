import Foundation
import Redis
import Scenario
import SensorCatalog

/// `hearth capacity`: how many sensors' latest values fit in the scenario's
/// Redis before eviction starts, how soon the scenario's traffic gets there,
/// and where it settles under the TTL.
///
/// Nothing is taken from tables of Redis internals: the planner writes the
/// scenario's real keys and real Fernet tokens to the real Redis, measures
/// what they cost (`MEMORY USAGE` per kind and key length, `used_memory` at
/// exact hash-table sizes for the rest), and predicts with
/// ``RedisMemoryModel``. With `verify` it then fills Redis to its limit and
/// reports the predicted and the observed onset of eviction side by side.
///
/// It needs an empty Redis that it may flush (the embedded one).
public struct CapacityPlanner: Sendable {
    public let scenario: Scenario
    public let catalog: SensorCatalog
    /// The stream's `MAXLEN ~` when the transport uses Redis Streams (the
    /// publisher's `ReadingStream.defaultMaxLength`).
    public var streamMaxLength: Int
    /// Predictions and verification fills stop here.
    public var maximumKeys: Int
    let keyspace: EstateKeyspace

    public init(scenario: Scenario, catalog: SensorCatalog = .builtIn, streamMaxLength: Int = 100_000, maximumKeys: Int = 50_000_000) {
        self.scenario = scenario
        self.catalog = catalog
        self.streamMaxLength = streamMaxLength
        self.maximumKeys = maximumKeys
        keyspace = EstateKeyspace(estate: scenario.estate)
    }

    var ttlSeconds: Int { max(1, Int(scenario.stack.redis.latestTTL.secondsValue.rounded())) }

    /// Measures, predicts and (if asked) verifies; leaves Redis empty.
    public func plan(on redis: RedisConnection, verify: Bool) async throws -> CapacityPlan {
        guard keyspace.sensorCount > 0 else { throw CapacityError("the scenario's estate has no sensors", isBadInput: true) }
        let keys = try await redis.dbsize()
        guard keys == 0 else {
            throw CapacityError("Redis at \(redis.configuration.host):\(redis.configuration.port) holds \(keys) keys; a capacity run flushes Redis, so give it an empty one (or let hearth start its own)", isBadInput: true)
        }
        let config = try await redis.configGet("maxmemory*")
        let maxMemory = Int(config["maxmemory"] ?? "") ?? 0
        let policy = config["maxmemory-policy"] ?? "unknown"
        if verify, maxMemory == 0 {
            throw CapacityError("Redis has no maxmemory, so there is no onset of eviction to verify; set stack.redis.maxmemory", isBadInput: true)
        }
        let version = try await redis.info("server")["redis_version"] ?? "unknown"
        let tokens = try SampleTokens(kinds: keyspace.kinds, catalog: catalog, house: keyspace.houseCount, sensor: keyspace.sensorCount, seed: scenario.seed)
        let calibration = try await calibrate(redis, tokens: tokens, maxMemory: maxMemory)
        var plan = predict(calibration, tokens: tokens, maxMemory: maxMemory, policy: policy, redisVersion: version)
        if verify {
            plan.verification = try await self.verify(redis, tokens: tokens, predictedOnset: plan.evictionOnsetInFillOrder, policy: policy)
        }
        try await redis.flushAll()
        return plan
    }

    /// `MEMORY USAGE` per kind and key length, then the baseline and the
    /// per-key overhead from `used_memory` at powers of two.
    func calibrate(_ redis: RedisConnection, tokens: SampleTokens, maxMemory: Int) async throws -> CapacityCalibration {
        try await redis.flushAll()
        let lengths = keyspace.keyLengths(limit: maximumKeys)
        var usage: [[Int]] = []
        for (kindIndex, token) in tokens.tokens.enumerated() {
            var row: [Int] = []
            for length in lengths {
                guard let key = LatestKey.probe(length: length, tag: kindIndex) else { throw CapacityError("cannot build a key of \(length) characters") }
                try await redis.set(key, token, expireSeconds: ttlSeconds)
                guard let bytes = try await redis.memoryUsage(key) else { throw CapacityError("MEMORY USAGE found no \(key)") }
                row.append(bytes)
            }
            usage.append(row)
        }
        try await redis.flushAll()
        let empty = Int(try await redis.info("memory")["used_memory"] ?? "") ?? 0
        var calibration = CapacityCalibration(memoryUsage: usage, shortestKey: lengths.lowerBound, perKeyOverhead: 0, baseline: Double(empty),
                                              emptyUsedMemory: empty, points: [])
        var writer = CapacityWriter(redis: redis, keyspace: keyspace, tokens: tokens, ttlSeconds: ttlSeconds)
        // The MEMORY USAGE of the first n keys, at each measured n.
        var usageAt: [Int: Double] = [:]
        var runningUsage = 0.0
        var summed = 0
        var cursor = keyspace.makeCursor()
        for exponent in 6 ... 16 {
            let target = 1 << exponent
            _ = try await writer.write(upTo: target)
            let info = try await redis.info()
            let used = Int(info["used_memory"] ?? "") ?? 0
            guard Int(info["evicted_keys"] ?? "") ?? 0 == 0 else { break }
            while summed < target, let slot = cursor.next() {
                runningUsage += Double(calibration.memoryUsage(kindIndex: slot.kindIndex, keyLength: slot.keyLength))
                summed += 1
            }
            usageAt[target] = runningUsage
            calibration.points.append(.init(keys: target, usedMemory: used))
            if maxMemory > 0, Double(used) > 0.55 * Double(maxMemory) { break }
        }
        guard calibration.points.count >= 2 else {
            throw CapacityError("maxmemory \(maxMemory) bytes is too small to measure key sizes below the limit; use at least 2mb")
        }
        let (low, high) = (calibration.points[calibration.points.count - 2], calibration.points[calibration.points.count - 1])
        let keysAdded = Double(high.keys - low.keys)
        // At exactly 2^k keys each table has 2^k slots of 8 bytes.
        let slotGrowth = 2 * RedisMemoryModel.slotBytes * keysAdded
        let usageAdded = usageAt[high.keys]! - usageAt[low.keys]!
        calibration.perKeyOverhead = (Double(high.usedMemory - low.usedMemory) - slotGrowth - usageAdded) / keysAdded
        calibration.baseline = Double(high.usedMemory) - usageAt[high.keys]! - calibration.perKeyOverhead * Double(high.keys)
            - 2 * RedisMemoryModel.slotBytes * Double(high.keys)
        try await redis.flushAll()
        if scenario.load.transport.usesRedisStream {
            calibration.streamEntryBytes = try await measureStreamEntry(redis, tokens: tokens)
        }
        return calibration
    }

    /// Bytes per entry of the readings stream: 2,048 `XADD`s of real entries.
    private func measureStreamEntry(_ redis: RedisConnection, tokens: SampleTokens) async throws -> Double {
        let before = Int(try await redis.info("memory")["used_memory"] ?? "") ?? 0
        let entries = 2048
        var pipeline = RedisPipeline(reservingBytes: entries * 512, commands: entries)
        var cursor = keyspace.makeCursor()
        for _ in 0 ..< entries {
            guard let slot = cursor.next() else { break }
            pipeline.append("XADD", "hearth:capacity-probe", "*", "topic", .text("houses/\(slot.house)/sensors/\(slot.sensor)"),
                            "token", .bytes(tokens.tokens[slot.kindIndex]))
        }
        _ = try await redis.execute(pipeline)
        let after = Int(try await redis.info("memory")["used_memory"] ?? "") ?? 0
        try await redis.flushAll()
        return Double(after - before) / Double(entries)
    }
}
