/// What happened to the readings, counted by sequence number: the figures
/// loss and duplicate gates judge.
public struct MessageCounts: Codable, Sendable, Equatable {
    /// Readings the publishers handed to MQTT or XADD.
    public var sent: Int
    /// Readings the subscriber received (duplicates included).
    public var received: Int
    /// Readings written to Redis as the sensor's latest value.
    public var stored: Int
    /// Sent but never received (by `seq`), counted after the drain period.
    public var lost: Int
    /// Received more than once (QoS 1 redelivery).
    public var duplicates: Int
    /// Received with a `seq` lower than one already seen for the sensor.
    public var outOfOrder: Int
    /// Redis `evicted_keys` gained during the counted period.
    public var evictions: Int
    /// Readings the subscriber rejected, by reason.
    public var deadLettered: [DeadLetterCount]

    public init(sent: Int = 0, received: Int = 0, stored: Int = 0, lost: Int = 0, duplicates: Int = 0, outOfOrder: Int = 0, evictions: Int = 0, deadLettered: [DeadLetterCount] = []) {
        self.sent = sent
        self.received = received
        self.stored = stored
        self.lost = lost
        self.duplicates = duplicates
        self.outOfOrder = outOfOrder
        self.evictions = evictions
        self.deadLettered = deadLettered
    }

    public var deadLetteredTotal: Int { deadLettered.reduce(0) { $0 + $1.count } }

    /// Lost readings as a share of those sent (0 when nothing was sent).
    public var lossFraction: Double { sent > 0 ? Double(lost) / Double(sent) : 0 }

    public var duplicateFraction: Double { sent > 0 ? Double(duplicates) / Double(sent) : 0 }

    /// Adds another shard's counts; dead letters add up reason by reason.
    public mutating func add(_ other: MessageCounts) {
        sent += other.sent
        received += other.received
        stored += other.stored
        lost += other.lost
        duplicates += other.duplicates
        outOfOrder += other.outOfOrder
        evictions += other.evictions
        var byReason = Dictionary(deadLettered.map { ($0.reason, $0.count) }, uniquingKeysWith: +)
        for entry in other.deadLettered { byReason[entry.reason, default: 0] += entry.count }
        deadLettered = byReason.sorted { $0.key < $1.key }.map { DeadLetterCount(reason: $0.key, count: $0.value) }
    }
}

/// Rejected readings of one reason, such as `bad_token` or `schema`.
public struct DeadLetterCount: Codable, Sendable, Equatable {
    public var reason: String
    public var count: Int

    public init(reason: String, count: Int) {
        self.reason = reason
        self.count = count
    }
}

/// One stage of the run as it happened: its window and its own counts, so
/// per-stage gates and the charts can tell the warm-up from the peak.
public struct StageSummary: Codable, Sendable, Equatable {
    public var name: String
    /// Seconds since the run started.
    public var startSeconds: Double
    public var endSeconds: Double
    /// Whether the stage counts towards the run's totals and gates.
    public var measured: Bool
    /// The send rate the scenario planned, averaged over the stage.
    public var plannedRatePerSecond: Double
    public var counts: MessageCounts

    public init(name: String, startSeconds: Double, endSeconds: Double, measured: Bool, plannedRatePerSecond: Double = 0, counts: MessageCounts = MessageCounts()) {
        self.name = name
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
        self.measured = measured
        self.plannedRatePerSecond = plannedRatePerSecond
        self.counts = counts
    }

    public var durationSeconds: Double { endSeconds - startSeconds }

    /// Readings stored per second during the stage.
    public var throughput: Double { durationSeconds > 0 ? Double(counts.stored) / durationSeconds : 0 }
}
