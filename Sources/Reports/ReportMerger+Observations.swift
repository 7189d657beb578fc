/// Merging what the observers saw: Redis samples, TTL samples, lost keys,
/// Fernet costs and processes.
extension ReportMerger {
    /// One sample per second. Shards sharing a Redis saw the same server, so
    /// the first shard's sample of each second stands for all; separate
    /// servers add up (memory, limits, counters and keys).
    static func mergeRedis(_ reports: [RunReport], offsets: [Double], shared: Bool) -> [RedisSample] {
        var seconds: [Int: RedisSample] = [:]
        for (report, offset) in zip(reports, offsets) {
            for sample in report.redis {
                let second = Int((sample.t + offset + 1e-6).rounded(.down))
                var rebased = sample
                rebased.t += offset
                guard let existing = seconds[second] else {
                    seconds[second] = rebased
                    continue
                }
                guard !shared else { continue }
                seconds[second] = RedisSample(
                    t: existing.t, usedMemory: existing.usedMemory + sample.usedMemory, maxMemory: existing.maxMemory + sample.maxMemory,
                    evictedKeys: existing.evictedKeys + sample.evictedKeys, expiredKeys: existing.expiredKeys + sample.expiredKeys,
                    evictedPerSecond: existing.evictedPerSecond + sample.evictedPerSecond,
                    expiredPerSecond: existing.expiredPerSecond + sample.expiredPerSecond,
                    keys: existing.keys + sample.keys, keysWithExpiry: existing.keysWithExpiry + sample.keysWithExpiry
                )
            }
        }
        return seconds.keys.sorted().map { seconds[$0]! }
    }

    /// TTL samples side by side in time; samples bucketed differently from
    /// the first report cannot share its chart and are left out.
    static func mergeTTL(_ reports: [RunReport], offsets: [Double]) -> TTLReport {
        guard let first = reports.first(where: { !$0.ttl.samples.isEmpty }) else { return reports.first?.ttl ?? TTLReport() }
        var samples: [TTLSample] = []
        for (report, offset) in zip(reports, offsets) where report.ttl.bucketUpperBounds == first.ttl.bucketUpperBounds {
            samples += report.ttl.samples.map { sample in
                var rebased = sample
                rebased.t += offset
                return rebased
            }
        }
        samples.sort { $0.t < $1.t }
        return TTLReport(ttlSeconds: first.ttl.ttlSeconds, bucketUpperBounds: first.ttl.bucketUpperBounds, samples: samples)
    }

    /// Sensors belong to one shard each, so totals add; a sensor listed by
    /// two shards (a shared Redis sampled twice) counts once.
    static func mergeLostKeys(_ reports: [RunReport], offsets: [Double]) -> LostLatestKeys {
        var seen: Set<String> = []
        var listed: [LostLatestKey] = []
        var duplicates = 0
        for (report, offset) in zip(reports, offsets) {
            for key in report.lostLatestKeys.sensors {
                guard seen.insert(key.key).inserted else {
                    duplicates += 1
                    continue
                }
                var rebased = key
                rebased.detectedAt += offset
                listed.append(rebased)
            }
        }
        listed.sort { $0.detectedAt < $1.detectedAt }
        let total = reports.reduce(0) { $0 + $1.lostLatestKeys.total } - duplicates
        return LostLatestKeys(total: max(total, listed.count), sensors: Array(listed.prefix(LostLatestKeys.listLimit)))
    }

    /// Per kind, averages weighted by the messages each shard measured.
    static func mergeFernet(_ reports: [RunReport]) -> [FernetCost] {
        var order: [String] = []
        var sums: [String: FernetCost] = [:]
        for cost in reports.flatMap(\.fernet) {
            guard let sum = sums[cost.kind] else {
                order.append(cost.kind)
                sums[cost.kind] = cost
                continue
            }
            let total = sum.messages + cost.messages
            func mean(_ a: Double, _ b: Double) -> Double {
                total > 0 ? (a * Double(sum.messages) + b * Double(cost.messages)) / Double(total) : (a + b) / 2
            }
            sums[cost.kind] = FernetCost(
                kind: cost.kind, messages: total,
                encryptMicroseconds: mean(sum.encryptMicroseconds, cost.encryptMicroseconds),
                decryptMicroseconds: mean(sum.decryptMicroseconds, cost.decryptMicroseconds),
                plaintextBytes: mean(sum.plaintextBytes, cost.plaintextBytes),
                tokenBytes: mean(sum.tokenBytes, cost.tokenBytes)
            )
        }
        return order.map { sums[$0]! }
    }

    /// Each shard's own harness stays separate ("harness (shard 2/4)"); a
    /// server process seen by several shards (same name and pid) once.
    static func mergeProcesses(_ reports: [RunReport], offsets: [Double]) -> [ProcessSeries] {
        var seen: Set<String> = []
        var merged: [ProcessSeries] = []
        for (index, (report, offset)) in zip(reports, offsets).enumerated() {
            for process in report.processes {
                guard seen.insert("\(process.name)|\(process.pid)").inserted else { continue }
                var series = process
                if merged.contains(where: { $0.name == process.name }) || process.name == "harness" {
                    series.name = "\(process.name) (\(report.run.shard.map { "shard \($0)" } ?? "report \(index + 1)"))"
                }
                series.samples = process.samples.map { ProcessSample(t: $0.t + offset, cpuPercent: $0.cpuPercent, rssBytes: $0.rssBytes) }
                merged.append(series)
            }
        }
        return merged
    }
}
