import Foundation
import Redis
import BlockingIO

/// `--verify`: fill Redis to its limit with the same keys in the same order
/// as the prediction, and see where eviction really starts.
extension CapacityPlanner {
    /// The prediction is judged within this share of the observed onset.
    public static let verificationTolerance = 0.05

    func verify(_ redis: RedisConnection, tokens: SampleTokens, predictedOnset: Int?, policy: String) async throws -> CapacityVerification {
        try await redis.flushAll()
        let started = ContinuousClock.now
        let refusesWrites = policy == "noeviction"
        var writer = CapacityWriter(redis: redis, keyspace: keyspace, tokens: tokens, ttlSeconds: ttlSeconds)
        var observed: Int?
        var usedAtOnset = 0
        var nextPowerOfTwo = 1 << 12
        while writer.written < maximumKeys {
            // Near the predicted onset, small steps locate it to a few keys.
            let near = predictedOnset.map { Double(writer.written) > Double($0) * 0.95 } ?? false
            let errors = try await writer.write(upTo: writer.written + (near ? 16 : CapacityWriter.batch))
            if let refusal = errors.first, !refusal.hasPrefix("OOM") {
                throw CapacityError("Redis refused a write: \(refusal)")
            }
            let info = try await redis.info()
            let evicted = Int(info["evicted_keys"] ?? "") ?? 0
            if (refusesWrites && !errors.isEmpty) || (!refusesWrites && evicted > 0) {
                observed = try await redis.dbsize()
                usedAtOnset = Int(info["used_memory"] ?? "") ?? 0
                break
            }
            if writer.written >= nextPowerOfTwo {
                // The subscriber writes at a few thousand keys a second, so
                // Redis finishes each table doubling's incremental rehash
                // long before the next; a fill at full pipeline speed must
                // give it that time too, or it measures a transient.
                try await Task.sleep(for: .milliseconds(200 * max(1, nextPowerOfTwo / 100_000)))
                nextPowerOfTwo *= 2
            }
        }
        try await redis.flushAll()
        return CapacityVerification(predictedOnset: predictedOnset, observedOnset: observed, usedMemoryAtOnset: usedAtOnset,
                                    keysWritten: writer.written, seconds: Double((ContinuousClock.now - started).totalNanoseconds) / 1e9)
    }
}

/// Predicted against observed onset of eviction (or of refused writes).
public struct CapacityVerification: Codable, Sendable, Equatable {
    /// Keys Redis holds when used memory first exceeds maxmemory, as predicted.
    public var predictedOnset: Int?
    /// The same, as Redis showed it (DBSIZE at the first eviction).
    public var observedOnset: Int?
    public var usedMemoryAtOnset: Int
    public var keysWritten: Int
    public var seconds: Double

    /// (predicted − observed) / observed.
    public var relativeError: Double? {
        guard let predictedOnset, let observedOnset, observedOnset > 0 else { return nil }
        return Double(predictedOnset - observedOnset) / Double(observedOnset)
    }

    public var isWithinTolerance: Bool {
        relativeError.map { abs($0) <= CapacityPlanner.verificationTolerance } ?? (predictedOnset == nil && observedOnset == nil)
    }
}
