import Redis
import Reports
import BlockingIO

/// The latest-key checks: PTTL of a random sample (the TTL histogram) and
/// EXISTS over every stored sensor in turn (the sweep). Both report keys that
/// vanished while the subscriber's ledger says they were still fresh.
extension RunObserver {
    /// A key stored this close to its expiry may have expired as designed:
    /// `EX` counts from Redis's own receipt, which precedes the ledger's note.
    static let expiryMargin = Duration.milliseconds(500)

    func sampleTTL(_ redis: RedisConnection, ledger: LatestKeyLedger, t: Double) async throws {
        let entries = ledger.randomEntries(configuration.ttlSampleSize, using: &random)
        guard !entries.isEmpty else { return }
        var pipeline = RedisPipeline(reservingBytes: entries.count * 48, commands: entries.count)
        for entry in entries { pipeline.append("PTTL", .text(entry.key)) }
        let asked = ContinuousClock.now
        let replies = try await redis.execute(pipeline)
        var sample = TTLSample(t: t, sampled: entries.count, missing: 0, counts: Array(repeating: 0, count: state.ttl.bucketUpperBounds.count))
        for (entry, reply) in zip(entries, replies) {
            switch reply.integer {
            case .some(-2):
                sample.missing += 1
                noteMissing(entry, checkedAt: asked, t: t)
            case .some(-1):
                sample.persistent += 1
            case let milliseconds?:
                let bucket = state.ttl.bucketIndex(forRemainingSeconds: Double(milliseconds) / 1000)
                if sample.counts.indices.contains(bucket) { sample.counts[bucket] += 1 }
            case nil:
                continue
            }
        }
        state.ttl.samples.append(sample)
    }

    /// EXISTS for the next `count` sensor ids after the cursor, wrapping.
    func sweep(_ redis: RedisConnection, ledger: LatestKeyLedger, count: Int, t: Double) async throws {
        let limit = ledger.idLimit
        guard count > 0, limit > 0 else { return }
        if sweepCursor >= limit { sweepCursor = 0 }
        let end = min(limit, sweepCursor + count)
        let entries = ledger.entries(sweepCursor ..< end)
        sweepCursor = end
        guard !entries.isEmpty else { return }
        var pipeline = RedisPipeline(reservingBytes: entries.count * 48, commands: entries.count)
        for entry in entries { pipeline.append("EXISTS", .text(entry.key)) }
        let asked = ContinuousClock.now
        let replies = try await redis.execute(pipeline)
        for (entry, reply) in zip(entries, replies) where reply.integer == 0 {
            noteMissing(entry, checkedAt: asked, t: t)
        }
    }

    /// A missing key is lost if it was stored less than a TTL (less the
    /// margin) before the check; otherwise it expired, as it should.
    private func noteMissing(_ entry: LatestKeyLedger.Entry, checkedAt: ContinuousClock.Instant, t: Double) {
        let age = checkedAt - entry.storedAt
        guard age < configuration.latestTTL - Self.expiryMargin else { return }
        guard lostSensors.insert(entry.sensor).inserted else { return }
        state.lostLatestKeys.total = lostSensors.count
        if state.lostLatestKeys.sensors.count < LostLatestKeys.listLimit {
            let stored = max(0, Double(age.totalNanoseconds) / 1e9)
            state.lostLatestKeys.sensors.append(LostLatestKey(house: entry.house, sensor: entry.sensor, detectedAt: t, storedSecondsBefore: stored))
        }
    }
}
