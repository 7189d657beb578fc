/// Counters of a run so far, summed over workers. Every reading the schedule
/// or a plugin asked for ends in exactly one of `sent`, `failed`, `invalid`
/// or `encryptionFailures`; nothing is dropped without being counted. A
/// stream write is confirmed after hand-over, so a reading in `sent` whose
/// write then fails is counted again in `streamFailed`.
public struct PublisherStats: Sendable, Equatable {
    /// Readings the transport accepted (MQTT queued; for the stream, added to
    /// the next pipeline). With transport `both`, a reading counts once here.
    public var sent = 0
    /// Of `sent`, those from the rate schedule and from event-driven sensors.
    public var scheduledSent = 0
    public var eventDrivenSent = 0
    /// Readings made and encrypted that the transport refused: an MQTT QoS 0
    /// publish while the broker is away, a failed stream write.
    public var failed = 0
    /// Scheduled slots whose periodic sensor had nothing to report (a plugin
    /// breaking its `.periodic` promise).
    public var silent = 0
    /// Readings a plugin made that failed validation; never sent.
    public var invalid = 0
    public var encryptionFailures = 0
    /// Sensor events applied, counted per sensor.
    public var eventApplications = 0
    /// Sensor events a plugin refused.
    public var eventFailures = 0
    /// Stream entries Redis confirmed, and those whose write failed.
    public var streamAdded = 0
    public var streamFailed = 0
    /// MQTT publishes refused by the client (counted in `failed` too).
    public var mqttFailed = 0
    /// Scheduled sends that were due and not yet made when a worker last woke.
    public var backlog = 0
    /// How long the oldest due reading had been waiting then: how far behind
    /// its schedule the publisher was.
    public var lagNanoseconds: Int64 = 0
    /// The largest lag seen at any wake.
    public var maxLagNanoseconds: Int64 = 0
    /// The most any sent reading went out after its intended time, and the sum
    /// (for the mean).
    public var maxLatenessNanoseconds: Int64 = 0
    public var totalLatenessNanoseconds: Int64 = 0
    /// The most scheduled sends that were ever due and unsent at a wake.
    public var maxBacklog = 0

    public init() {}

    public var meanLatenessNanoseconds: Double {
        sent > 0 ? Double(totalLatenessNanoseconds) / Double(sent) : 0
    }

    /// Adds another worker's counters; current values (backlog, lag) add up
    /// across workers, maxima take the larger.
    public mutating func add(_ other: PublisherStats) {
        sent += other.sent
        scheduledSent += other.scheduledSent
        eventDrivenSent += other.eventDrivenSent
        failed += other.failed
        silent += other.silent
        invalid += other.invalid
        encryptionFailures += other.encryptionFailures
        eventApplications += other.eventApplications
        eventFailures += other.eventFailures
        streamAdded += other.streamAdded
        streamFailed += other.streamFailed
        mqttFailed += other.mqttFailed
        backlog += other.backlog
        lagNanoseconds = max(lagNanoseconds, other.lagNanoseconds)
        maxLagNanoseconds = max(maxLagNanoseconds, other.maxLagNanoseconds)
        maxLatenessNanoseconds = max(maxLatenessNanoseconds, other.maxLatenessNanoseconds)
        totalLatenessNanoseconds += other.totalLatenessNanoseconds
        maxBacklog += other.maxBacklog
    }
}
