#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Scenario
import BlockingIO

/// How a ``Publisher`` runs, beyond what the scenario says.
public struct PublisherOptions: Sendable {
    /// How long to run instead of the scenario's length: shorter stops early,
    /// longer holds the last stage's final rate (see ``SendPlan``).
    public var duration: Duration?
    /// Threads that make, encrypt and send readings, each with its own Fernet
    /// contexts and its own share of the MQTT connections (never more than
    /// there are connections); see ``defaultWorkers``.
    public var workers: Int
    /// Shortest time between two batches of one worker while there is work:
    /// high rates go out in batches of `rate × tick`. Readings are sent up to
    /// this late, so it bounds the publisher's share of latency.
    public var tick: Duration
    /// Most readings one worker makes before it completes a batch (writes the
    /// stream pipeline, checks the QoS 1 window) and reports it.
    public var batchLimit: Int
    /// Unacknowledged QoS 1/2 messages a connection may have outstanding;
    /// see ``qosWindow(connections:)`` for how many connections share it.
    public var qosWindow: Int
    /// Unacknowledged QoS 1/2 messages all connections together may have
    /// outstanding. libmosquitto walks a connection's whole in-flight list
    /// after every acknowledgement, so when a backlog fills many large
    /// windows the walks eat the CPU and the backlog grows: 64 connections ×
    /// 1,000 sent 5,000 readings a second where 4 connections sent 20,000.
    public var qosWindowTotal: Int
    /// MQTT client ids are `<prefix>-<connection>`. Keep them stable (and
    /// unique to this publisher) for persistent sessions.
    public var clientIDPrefix: String
    /// false: persistent MQTT sessions, so QoS 1 messages queued in the broker
    /// and in flight survive a reconnect or a broker restart.
    public var cleanSession: Bool
    /// Entries the Redis stream keeps (`XADD … MAXLEN ~ N`).
    public var streamMaxLength: Int
    /// How long the end of a run waits for the broker to take every queued
    /// message (QoS 1: every PUBACK; QoS 0: a PUBACK for a QoS 1 marker sent
    /// after them, which the broker handles in order).
    public var drainTimeout: Duration
    public var clock: any PublisherClock
    /// Called at the time of each fault event (`broker_restart`, …); the run
    /// goes on sending meanwhile. Without one, faults are logged and skipped:
    /// injecting them is the harness's job.
    public var faultHandler: (@Sendable (ScenarioEvent) async -> Void)?
    /// Send only this shard's houses (nil: all of them).
    public var shard: LoadShard?

    public init(
        duration: Duration? = nil,
        workers: Int = PublisherOptions.defaultWorkers,
        tick: Duration = .milliseconds(1),
        batchLimit: Int = 1024,
        qosWindow: Int = 1000,
        qosWindowTotal: Int = 4000,
        clientIDPrefix: String = "hearth-pub-\(getpid())",
        cleanSession: Bool = true,
        streamMaxLength: Int = ReadingStream.defaultMaxLength,
        drainTimeout: Duration = .seconds(30),
        clock: any PublisherClock = SystemPublisherClock(),
        faultHandler: (@Sendable (ScenarioEvent) async -> Void)? = nil,
        shard: LoadShard? = nil
    ) {
        self.duration = duration
        self.workers = workers
        self.tick = tick
        self.batchLimit = batchLimit
        self.qosWindow = qosWindow
        self.qosWindowTotal = qosWindowTotal
        self.clientIDPrefix = clientIDPrefix
        self.cleanSession = cleanSession
        self.streamMaxLength = streamMaxLength
        self.drainTimeout = drainTimeout
        self.clock = clock
        self.faultHandler = faultHandler
        self.shard = shard
    }

    /// Two workers where there are two cores: one worker alone tops out near
    /// 40,000 readings a second on this class of machine (generating and
    /// encrypting ~7 µs a reading, libmosquitto's network thread as much
    /// again), two sent 60,000 a second on time. With the broker, Redis and the
    /// subscriber on the same two cores the second thread costs nothing
    /// measurable: it only wakes when it has readings due.
    public static let defaultWorkers = max(1, min(2, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))

    var tickNanoseconds: Int64 { tick.totalNanoseconds }

    /// Each connection's window: ``qosWindow``, but no more than its share of
    /// ``qosWindowTotal`` (and never under 16, which still allows thousands
    /// of readings a second per connection on loopback).
    public func qosWindow(connections: Int) -> Int {
        min(qosWindow, max(16, qosWindowTotal / max(1, connections)))
    }
}
