import Logging
import MQTT
import Redis

/// Readings from a Redis Stream through a consumer group: XREADGROUP, handle
/// the entries as one batch, then XACK them (refused entries too: they have
/// been dealt with, as dead letters).
///
/// Entries carry `token` and either `topic` or `house` and `sensor`. On start
/// the consumer first re-reads its own pending entries (id `0`: read before a
/// crash but never acknowledged), then new ones (`>`). A lost connection is
/// retried with back-off; a group that vanished (Redis restarted without
/// persistence) is created again.
struct StreamReadingInput {
    let reader: RedisConnection
    let configuration: SubscriberConfiguration
    let shutdown: ShutdownState
    let logger: Logger

    /// How long one XREADGROUP waits for entries, which bounds how long a stop takes to notice.
    static let blockMilliseconds = 500

    func run(_ consumer: BatchConsumer) async throws {
        let stream = configuration.streamName
        let group = configuration.streamGroup
        var readingPending = true
        var backoff = RetryBackoff()
        var outage = false
        var groupReady = false
        while !shutdown.isStopping, !Task.isCancelled {
            let entries: [RedisConnection.StreamEntry]
            do {
                if !groupReady {
                    try await reader.xgroupCreate(stream, group: group, startID: "0")
                    groupReady = true
                }
                entries = try await reader.xreadgroup(
                    group: group, consumer: configuration.streamConsumer, stream: stream, count: configuration.streamBatchSize,
                    blockMilliseconds: readingPending ? nil : Self.blockMilliseconds, id: readingPending ? "0" : ">"
                )
            } catch let error as RedisError {
                if !outage { logger.warning("cannot read the reading stream; retrying", metadata: ["error": "\(error)"]) }
                outage = true
                readingPending = true
                groupReady = false
                try await backoff.wait()
                continue
            }
            if outage {
                outage = false
                backoff = RetryBackoff()
                logger.notice("reading stream is back")
            }
            if entries.isEmpty {
                readingPending = false
                continue
            }
            try await consumer.handle(entries.map(Self.message))
            try await acknowledge(entries.map(\.id))
        }
    }

    /// XACK, retried like a write: an entry left unacknowledged is read
    /// again after a restart, which the sequence window then counts as a duplicate.
    private func acknowledge(_ ids: [String]) async throws {
        var backoff = RetryBackoff()
        while true {
            do {
                try await reader.xack(configuration.streamName, group: configuration.streamGroup, ids: ids)
                return
            } catch let error as RedisError {
                if shutdown.hasExpired {
                    logger.warning("stream entries left unacknowledged at shutdown; they are read again next time", metadata: ["count": "\(ids.count)", "error": "\(error)"])
                    return
                }
                try await backoff.wait()
            }
        }
    }

    /// An entry as a message: the topic from `topic`, else built from `house` and `sensor`.
    static func message(_ entry: RedisConnection.StreamEntry) -> MQTTMessage {
        let token = entry.fields["token"] ?? []
        if let topic = entry.fields["topic"] {
            return MQTTMessage(topic: String(decoding: topic, as: UTF8.self), payload: token)
        }
        if let house = entry.fields["house"].flatMap({ TopicAddress.id($0[...]) }),
           let sensor = entry.fields["sensor"].flatMap({ TopicAddress.id($0[...]) }) {
            return MQTTMessage(topic: TopicAddress(houseID: house, sensorID: sensor).topic, payload: token)
        }
        return MQTTMessage(topic: "", payload: token)
    }
}
