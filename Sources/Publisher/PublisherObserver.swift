import Scenario

/// One reading the publisher handed to its transport.
public struct SentReading: Sendable, Equatable {
    public var sensorID: Int
    public var houseID: Int
    public var seq: UInt64
    /// When the reading was meant to go, in nanoseconds since the Unix epoch:
    /// the schedule's time for a scheduled sensor, the time its plugin said
    /// it was due for an event-driven one. Latency measured from here, not
    /// from `sentNanoseconds`, is free of coordinated omission.
    public var intendedNanoseconds: Int64
    /// The payload's `sent_at_ns`.
    public var sentNanoseconds: Int64
    /// Whether the reading came from the rate schedule (false: event-driven).
    public var isScheduled: Bool

    public init(sensorID: Int, houseID: Int, seq: UInt64, intendedNanoseconds: Int64, sentNanoseconds: Int64, isScheduled: Bool) {
        self.sensorID = sensorID
        self.houseID = houseID
        self.seq = seq
        self.intendedNanoseconds = intendedNanoseconds
        self.sentNanoseconds = sentNanoseconds
        self.isScheduled = isScheduled
    }

    /// How late it went out.
    public var latenessNanoseconds: Int64 { sentNanoseconds - intendedNanoseconds }
}

/// What one worker sent in one tick.
public struct SentBatch: Sendable {
    public var worker: Int
    /// In send order. Only readings the transport accepted.
    public var readings: [SentReading]
    /// Scheduled sends of this worker that were due when the batch began: at
    /// high rates about `rate × tick`; much more means the publisher is behind.
    public var backlog: Int
    /// How long the oldest due reading had waited when the batch began: how
    /// far behind its schedule the worker was.
    public var lagNanoseconds: Int64
}

/// Hooks for the harness: see every batch as it goes out and every scenario
/// event as it is applied.
///
/// Both are called synchronously on a worker's own thread, between its
/// batches; keep them short (append to a buffer, bump a histogram), or the
/// publisher falls behind its schedule. With more than one worker they are
/// called concurrently, once per worker.
public protocol PublisherObserver: AnyObject, Sendable {
    /// After each batch a worker sends.
    func publisher(didSend batch: SentBatch)
    /// After a sensor event was applied to a worker's `sensorCount` matching sensors.
    func publisher(didApply event: ScenarioEvent, sensorCount: Int, worker: Int)
}

extension PublisherObserver {
    public func publisher(didApply event: ScenarioEvent, sensorCount: Int, worker: Int) {}
}
