import Logging
import MQTT
import Redis

/// Writes latest values to Redis: `SET house:{h}:sensor:{s}:latest <token> EX ttl`,
/// one pipeline per input batch.
///
/// Nothing is lost while Redis is away. A lost connection or a transient
/// error reply (OOM under `noeviction`, LOADING after a restart, …) makes the
/// writer wait and send the affected commands again until they succeed;
/// `SET … EX` is idempotent, so a command that did run before the connection
/// broke does no harm when repeated. Meanwhile the consumer does not take the
/// next batch: the broker and the inbox hold the backlog (back-pressure).
/// A permanent error reply (e.g. WRONGTYPE: something else owns the key)
/// is not retried; the reading is dead-lettered as `store_refused`.
final class LatestWriter: @unchecked Sendable {
    private let redis: RedisConnection
    private let ttl: [UInt8]
    private let logger: Logger
    private let statistics: SubscriberStatistics
    /// Reused between batches (one consumer at a time; see ``Subscriber``).
    private var pipeline = RedisPipeline(reservingBytes: 64 * 1024, commands: 512)
    private var key: [UInt8] = []

    /// Error replies worth waiting out; anything else will not change by retrying.
    static let transientErrorKinds: Set<String> = ["OOM", "LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN", "READONLY", "CLUSTERDOWN", "NOREPLICAS"]

    init(redis: RedisConnection, ttlSeconds: Int, statistics: SubscriberStatistics, logger: Logger) {
        self.redis = redis
        self.statistics = statistics
        self.ttl = Array(String(ttlSeconds).utf8)
        self.logger = logger
    }

    /// Stores the latest readings of `accepted` (tokens read from `messages`)
    /// and returns the indices into `accepted` that Redis refused permanently.
    /// Retries until done; throws CancellationError, or ``SubscriberError``
    /// when a shutdown's flush time runs out before Redis comes back.
    func store<Messages: RandomAccessCollection>(
        _ accepted: [AcceptedReading],
        of messages: Messages,
        shutdown: ShutdownState
    ) async throws -> [Int] where Messages.Element == MQTTMessage, Messages.Index == Int {
        var pending = accepted.indices.filter { accepted[$0].isLatest }
        var refused: [Int] = []
        var backoff = RetryBackoff()
        var outage = false
        while !pending.isEmpty {
            build(pending.map { accepted[$0] }, of: messages)
            do {
                let replies = try await redis.execute(pipeline)
                var again: [Int] = []
                for (position, reply) in zip(pending, replies) {
                    guard case .error(let text) = reply else { continue }
                    let kind = text.split(separator: " ").first.map(String.init) ?? text
                    if Self.transientErrorKinds.contains(kind) { again.append(position) } else { refused.append(position) }
                    if !outage { logger.warning("Redis refused a write; retrying", metadata: ["reply": "\(kind)"]) }
                    outage = true
                }
                pending = again
            } catch let error as RedisError {
                if !outage { logger.warning("Redis is unreachable; holding the batch and retrying", metadata: ["error": "\(error)"]) }
                outage = true
            }
            if !pending.isEmpty {
                if shutdown.hasExpired {
                    throw SubscriberError(.flushTimedOut, "stopped with \(pending.count) readings not stored: Redis did not come back before the shutdown timeout")
                }
                // Counted as it happens, so a stats line during an outage shows it.
                statistics.update { $0.redisRetries += 1 }
                try await backoff.wait()
            }
        }
        if outage { logger.notice("Redis accepts writes again", metadata: ["attempts": "\(backoff.attempts + 1)"]) }
        return refused
    }

    private func build<Messages: RandomAccessCollection>(
        _ readings: [AcceptedReading], of messages: Messages
    ) where Messages.Element == MQTTMessage, Messages.Index == Int {
        pipeline.removeAll()
        for reading in readings {
            key.removeAll(keepingCapacity: true)
            reading.address.appendLatestKey(to: &key)
            let token = messages[messages.startIndex + reading.messageIndex].payload
            Self.withBytes("SET") { set in
                Self.withBytes("EX") { ex in
                    key.withUnsafeBytes { keyBytes in
                        token.withUnsafeBytes { tokenBytes in
                            ttl.withUnsafeBytes { ttlBytes in
                                pipeline.append(raw: [set, keyBytes, tokenBytes, ex, ttlBytes])
                            }
                        }
                    }
                }
            }
        }
    }

    private static func withBytes<R>(_ word: StaticString, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        body(UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
    }
}
