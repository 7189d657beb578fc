import Logging
import MQTT
import SensorKit

/// Takes one input batch through the whole pipeline: judge every message,
/// spool and write the alarm transitions, store the latest values in Redis,
/// queue history rows, count, and tell the observer.
///
/// One per input (MQTT, Redis Streams), each with its own ``LatestWriter``
/// buffer; they share the pipeline, the sinks and the statistics. The input
/// loop awaits `handle` before it takes the next batch, which is the
/// back-pressure the issue asks for.
final class BatchConsumer: @unchecked Sendable {
    private let transport: SubscriberConfiguration.Transport
    private let pipeline: LockedReadingPipeline
    private let estate: EstateRefresher
    private let keys: KeyringWatcher
    private let writer: LatestWriter
    private let alarms: AlarmSink
    private let history: HistoryWriter?
    private let statistics: SubscriberStatistics
    private let observer: (any SubscriberObserver)?
    private let shutdown: ShutdownState
    private let logger: Logger

    init(transport: SubscriberConfiguration.Transport, pipeline: LockedReadingPipeline, estate: EstateRefresher, keys: KeyringWatcher,
         writer: LatestWriter, alarms: AlarmSink, history: HistoryWriter?, statistics: SubscriberStatistics,
         observer: (any SubscriberObserver)?, shutdown: ShutdownState, logger: Logger) {
        self.transport = transport
        self.pipeline = pipeline
        self.estate = estate
        self.keys = keys
        self.writer = writer
        self.alarms = alarms
        self.history = history
        self.statistics = statistics
        self.observer = observer
        self.shutdown = shutdown
        self.logger = logger
    }

    /// Handles `messages` completely. Throws only when the subscriber must
    /// stop: cancelled, a shutdown whose flush time ran out, or an alarm
    /// spool that cannot be written (an alarm would otherwise be lost).
    func handle<Messages: RandomAccessCollection & Sendable>(
        _ messages: Messages
    ) async throws where Messages.Element == MQTTMessage, Messages.Index == Int {
        let receivedAt = WallClock.nanoseconds()
        var outcome = pipeline.withLock {
            $0.process(messages, estate: estate.snapshot, missesAreFinal: false, now: receivedAt)
        }
        if !outcome.missed.isEmpty {
            let missed = outcome.missed
            if outcome.missedEstate {
                // A house found just now may have a new owner, with a new key file.
                await estate.refreshIfStale()
                await keys.reloadIfChanged(unlessLookedSince: receivedAt)
            } else {
                await keys.reloadIfChanged(owners: outcome.missedOwners)
            }
            outcome.missed = []
            outcome.missedEstate = false
            outcome.missedOwners = []
            let snapshot = estate.snapshot
            outcome.merge(pipeline.withLock {
                $0.process(messages, indices: missed, estate: snapshot, missesAreFinal: true, now: receivedAt)
            })
        }
        // Checked here, not in the sink: calling the actor at all is a round trip to its thread.
        if !outcome.transitions.isEmpty { try await alarms.submit(outcome.transitions) }

        let refused = try await writer.store(outcome.accepted, of: messages, shutdown: shutdown)
        let storedAt = WallClock.nanoseconds()
        for position in refused {
            let message = messages[messages.startIndex + outcome.accepted[position].messageIndex]
            outcome.deadLetters.append(DeadLetterSample(topic: message.topicBytes, payload: message.payload, reason: .storeRefused, at: storedAt))
        }
        if let history, !outcome.accepted.isEmpty {
            let receivedTime = Timestamp(nanosecondsSinceEpoch: receivedAt)
            history.append(outcome.accepted.map {
                HistoryWriter.row($0, token: messages[messages.startIndex + $0.messageIndex].payload, receivedAt: receivedTime)
            })
        }
        record(outcome, messageCount: messages.count, refused: refused)
        if let observer {
            observer.subscriberDidStore(storedBatch(outcome, refused: refused, receivedAt: receivedAt, storedAt: storedAt))
        }
    }

    private func record(_ outcome: PipelineOutcome, messageCount: Int, refused: [Int]) {
        let stored = outcome.latestCount - refused.count
        let raised = outcome.transitions.reduce(0) { $0 + ($1.state == .raised ? 1 : 0) }
        statistics.update {
            $0.batches += 1
            $0.received += messageCount
            $0.stored += stored
            $0.outOfOrder += outcome.outOfOrder
            $0.sequenceRestarts += outcome.sequenceRestarts
            $0.alarmsRaised += raised
            $0.alarmsCleared += outcome.transitions.count - raised
        }
        statistics.recordDeadLetters(outcome.deadLetters)
    }

    private func storedBatch(_ outcome: PipelineOutcome, refused: [Int], receivedAt: Int64, storedAt: Int64) -> StoredBatch {
        let refusedSet = Set(refused)
        var readings: [StoredReading] = []
        readings.reserveCapacity(outcome.accepted.count)
        for (position, reading) in outcome.accepted.enumerated() where reading.isLatest && !refusedSet.contains(position) {
            readings.append(StoredReading(houseID: reading.address.houseID, sensorID: reading.address.sensorID,
                                          seq: reading.seq, sentAtNanoseconds: reading.sentAt.nanosecondsSinceEpoch))
        }
        let duplicates = outcome.deadLetters.reduce(0) { $0 + ($1.reason == .duplicate ? 1 : 0) }
        return StoredBatch(transport: transport, receivedAtNanoseconds: receivedAt, storedAtNanoseconds: storedAt,
                           readings: readings, outOfOrder: outcome.outOfOrder,
                           deadLettered: outcome.deadLetters.count, duplicates: duplicates)
    }
}
