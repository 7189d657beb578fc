import Redis

/// What a capacity run measured on the real Redis before predicting
/// anything: what each key costs (`MEMORY USAGE` per kind and key length,
/// plus the per-key overhead that command does not count, such as the
/// expires dict's entry), and the baseline, both fitted to `used_memory` at
/// key counts where the hash tables' size is known exactly (powers of two:
/// just before a table doubles).
struct CapacityCalibration: Sendable, Equatable {
    /// `MEMORY USAGE` in bytes, `[kind index][key length - shortestKey]`.
    var memoryUsage: [[Int]]
    var shortestKey: Int
    /// Bytes per key beyond `MEMORY USAGE`, from `used_memory` deltas.
    var perKeyOverhead: Double
    /// `used_memory` with no keys, by the same fit.
    var baseline: Double
    /// `used_memory` with no keys, as read after FLUSHALL (for comparison).
    var emptyUsedMemory: Int
    /// The `(keys, used_memory)` points of the fit.
    var points: [Point]
    /// Bytes per Redis Stream entry (topic + token), if the scenario uses streams.
    var streamEntryBytes: Double?

    struct Point: Sendable, Equatable {
        var keys: Int
        var usedMemory: Int
    }

    /// What one key of this kind and length costs in all.
    func cost(kindIndex: Int, keyLength: Int) -> Double {
        let row = memoryUsage[kindIndex]
        let column = min(max(0, keyLength - shortestKey), row.count - 1)
        return Double(row[column]) + perKeyOverhead
    }

    /// `MEMORY USAGE` of one key of this kind and length.
    func memoryUsage(kindIndex: Int, keyLength: Int) -> Int {
        let row = memoryUsage[kindIndex]
        return row[min(max(0, keyLength - shortestKey), row.count - 1)]
    }
}

/// Writes the keyspace the way the subscriber does (`SET key token EX ttl`,
/// pipelined), in fill order, remembering where it got to.
struct CapacityWriter {
    let redis: RedisConnection
    let tokens: SampleTokens
    let ttlSeconds: Int
    private var cursor: EstateKeyspace.Cursor
    /// Keys written so far.
    private(set) var written = 0
    /// Commands per pipeline: small, so that Redis's query buffer stays
    /// small next to the figures measured.
    static let batch = 256

    init(redis: RedisConnection, keyspace: EstateKeyspace, tokens: SampleTokens, ttlSeconds: Int) {
        self.redis = redis
        self.tokens = tokens
        self.ttlSeconds = ttlSeconds
        cursor = keyspace.makeCursor()
    }

    /// Writes the next keys until `written == target`, one pipeline of at
    /// most ``batch`` commands at a time; returns Redis's error replies
    /// (`OOM …` under `noeviction`).
    mutating func write(upTo target: Int) async throws -> [String] {
        var errors: [String] = []
        while written < target {
            let count = min(Self.batch, target - written)
            var pipeline = RedisPipeline(reservingBytes: count * 512, commands: count)
            for _ in 0 ..< count {
                guard let slot = cursor.next() else { return errors }
                pipeline.append("SET", .text(slot.key), .bytes(tokens.tokens[slot.kindIndex]), "EX", .integer(ttlSeconds))
            }
            for reply in try await redis.execute(pipeline) {
                if case .error(let text) = reply { errors.append(text) }
            }
            written += count
        }
        return errors
    }
}
