/// Receives the timing of every stored batch, for latency measurement.
///
/// The harness records these into HdrHistograms: `sentAt` → `receivedAt` is
/// the transport stage, `receivedAt` → `storedAt` the subscriber's own
/// (decrypt, validate, Redis round trip). It is called on the consumer's
/// task after each batch is stored and before the next is taken, so it must
/// be quick (record and return); a slow observer slows the subscriber.
public protocol SubscriberObserver: Sendable {
    func subscriberDidStore(_ batch: StoredBatch)
}

/// One input batch after its latest values reached Redis.
public struct StoredBatch: Sendable {
    public var transport: SubscriberConfiguration.Transport
    /// When the batch was taken from the input, ns since the epoch (the
    /// publisher's `sent_at_ns` uses the same clock).
    public var receivedAtNanoseconds: Int64
    /// When Redis acknowledged the batch's pipeline.
    public var storedAtNanoseconds: Int64
    /// Readings written as the latest value, in arrival order.
    public var readings: [StoredReading]
    /// Readings accepted late (history only) in this batch.
    public var outOfOrder: Int
    /// Messages of this batch refused, duplicates included.
    public var deadLettered: Int
    /// Of those, duplicates.
    public var duplicates: Int

    public init(
        transport: SubscriberConfiguration.Transport, receivedAtNanoseconds: Int64, storedAtNanoseconds: Int64,
        readings: [StoredReading], outOfOrder: Int, deadLettered: Int, duplicates: Int
    ) {
        self.transport = transport
        self.receivedAtNanoseconds = receivedAtNanoseconds
        self.storedAtNanoseconds = storedAtNanoseconds
        self.readings = readings
        self.outOfOrder = outOfOrder
        self.deadLettered = deadLettered
        self.duplicates = duplicates
    }
}

/// One reading of a ``StoredBatch``.
public struct StoredReading: Sendable, Equatable {
    public var houseID: Int
    public var sensorID: Int
    public var seq: UInt64
    /// The payload's `sent_at_ns`.
    public var sentAtNanoseconds: Int64

    public init(houseID: Int, sensorID: Int, seq: UInt64, sentAtNanoseconds: Int64) {
        self.houseID = houseID
        self.sensorID = sensorID
        self.seq = seq
        self.sentAtNanoseconds = sentAtNanoseconds
    }
}
