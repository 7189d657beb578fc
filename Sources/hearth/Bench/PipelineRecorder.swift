import Foundation
import Subscriber

/// What the subscriber stored during a trial, kept for analysis afterwards:
/// per reading its sensor, `seq`, `sent_at_ns`, when the subscriber took
/// its batch and when Redis acknowledged that batch. Appending to flat arrays under one lock per batch keeps the
/// observer as cheap as the subscriber asks (it runs between batches).
final class PipelineRecorder: SubscriberObserver, @unchecked Sendable {
    struct Record {
        var sensor: Int32
        var seq: UInt32
        var sentAt: Int64
        /// When the subscriber took the reading's batch from its inbox.
        var receivedAt: Int64
        var storedAt: Int64
    }

    private let lock = NSLock()
    private var records: [Record] = []
    private var refused = 0
    private var duplicates = 0
    private var outOfOrder = 0

    init(expected: Int) {
        records.reserveCapacity(expected + expected / 8)
    }

    func subscriberDidStore(_ batch: StoredBatch) {
        lock.withLock {
            for reading in batch.readings {
                records.append(Record(
                    sensor: Int32(truncatingIfNeeded: reading.sensorID), seq: UInt32(truncatingIfNeeded: reading.seq),
                    sentAt: reading.sentAtNanoseconds, receivedAt: batch.receivedAtNanoseconds, storedAt: batch.storedAtNanoseconds
                ))
            }
            refused += batch.deadLettered - batch.duplicates
            duplicates += batch.duplicates
            outOfOrder += batch.outOfOrder
        }
    }

    /// Readings stored as the latest value so far, plus those accepted late.
    var storedCount: Int { lock.withLock { records.count + outOfOrder } }

    var snapshot: (records: [Record], refused: Int, duplicates: Int, outOfOrder: Int) {
        lock.withLock { (records, refused, duplicates, outOfOrder) }
    }
}
