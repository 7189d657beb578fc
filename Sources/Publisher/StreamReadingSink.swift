import Redis

/// Adds readings to the Redis stream (``ReadingStream``), one pipeline per batch.
///
/// Each `XADD` trims the stream with `MAXLEN ~ maxLength`, so however long a
/// run lasts the stream's memory stays bounded. A batch is written in one
/// pipelined round trip at the end of the worker's tick.
final class StreamReadingSink {
    let redis: RedisConnection
    let maxLength: Int
    private var pipeline = RedisPipeline(reservingBytes: 1 << 16, commands: 512)

    init(redis: RedisConnection, maxLength: Int) {
        self.redis = redis
        self.maxLength = maxLength
    }

    func send(_ token: [UInt8], house: Int, sensor: Int, connection: Int) -> Bool {
        pipeline.append(
            "XADD", .text(ReadingStream.name), "MAXLEN", "~", .integer(maxLength), "*",
            .text(ReadingStream.topicField), .bytes(ReadingTopic.bytes(house: house, sensor: sensor)),
            .text(ReadingStream.tokenField), .bytes(token)
        )
        return true
    }

    /// Writes the batch. A refused entry (an error reply) counts as failed;
    /// a broken connection fails the whole batch (whether any of it ran is
    /// unknown, and re-sending would duplicate), and the next batch reconnects.
    nonisolated(nonsending) func flush() async -> SinkFlushResult {
        guard !pipeline.isEmpty else { return SinkFlushResult() }
        let batch = pipeline
        pipeline.removeAll()
        do {
            let replies = try await redis.execute(batch)
            let refused = replies.filter { if case .error = $0 { true } else { false } }.count
            return SinkFlushResult(streamAdded: replies.count - refused, streamFailed: refused)
        } catch {
            return SinkFlushResult(streamAdded: 0, streamFailed: batch.count)
        }
    }
}
