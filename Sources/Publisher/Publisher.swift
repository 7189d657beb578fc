import BlockingIO
import Fernet
import Logging
import MQTT
import Redis
import Scenario
import SensorCatalog
import SensorKit

/// Drives a scenario's estate: takes readings from the sensor plugins,
/// encrypts each with its house owner's Fernet key and sends it by MQTT to
/// `houses/{h}/sensors/{s}`, to the Redis stream ``ReadingStream``, or both,
/// as the scenario says, open-loop at the scenario's rate.
///
/// ```swift
/// let publisher = try Publisher(scenario: scenario, keyring: keyring, mqttURL: "mqtt://127.0.0.1:1883")
/// let report = try await publisher.publish()
/// print(report.summary)
/// ```
///
/// Who is who (house, sensor and owner ids, topics, connections) is
/// ``EstateLayout``; which reading goes when is ``SendPlan``. Work is split
/// over ``PublisherOptions/workers`` threads by MQTT connection. Watch a run
/// with ``stats`` or a ``PublisherObserver``; stop it early with ``stop()``.
/// The publisher does not inject faults; it calls
/// ``PublisherOptions/faultHandler`` at each fault's time.
public final class Publisher: Sendable {
    public let scenario: Scenario
    public let layout: EstateLayout
    public let plan: SendPlan
    public let options: PublisherOptions
    let catalog: SensorCatalog
    let keyring: Keyring
    let mqttURL: String?
    let redisURL: String?
    let observer: (any PublisherObserver)?
    let logger: Logger
    let stopFlag = StopFlag()
    let statsBox: StatsBox
    let record = RunRecord()

    /// - Parameters:
    ///   - keyring: must hold a key for every owner of the estate (1...owners);
    ///     ``Keyring/provisioned(owners:directory:)`` makes one.
    ///   - mqttURL: needed when the transport is `mqtt` or `both`.
    ///   - redisURL: needed when the transport is `redis-stream` or `both`.
    /// - Throws: ``PublisherError`` for a missing endpoint, a missing owner
    ///   key or a sensor kind the catalogue lacks.
    public init(
        scenario: Scenario,
        catalog: SensorCatalog = .builtIn,
        keyring: Keyring,
        mqttURL: String? = nil,
        redisURL: String? = nil,
        options: PublisherOptions = PublisherOptions(),
        observer: (any PublisherObserver)? = nil,
        logger: Logger = Logger(label: "hearth.publisher")
    ) throws(PublisherError) {
        let transport = scenario.load.transport
        if transport.usesMQTT && mqttURL == nil {
            throw PublisherError(.badConfiguration, "the scenario sends over MQTT (transport: \(transport.rawValue)) but no broker URL was given")
        }
        if transport.usesRedisStream && redisURL == nil {
            throw PublisherError(.badConfiguration, "the scenario sends to the Redis stream (transport: \(transport.rawValue)) but no Redis URL was given")
        }
        let layout = EstateLayout(estate: scenario.estate)
        let missing = (1 ... max(1, layout.ownerCount)).filter { (try? keyring.keys(forOwner: $0)) == nil }
        if let first = missing.first {
            let place = keyring.directory.map { " in \($0)" } ?? ""
            throw PublisherError(.keys, "no Fernet key for owner \(first)\(place) (\(missing.count) of \(layout.ownerCount) owners lack one); create them with `hearth keys generate`")
        }
        self.scenario = scenario
        self.layout = layout
        self.plan = try SendPlan(layout: layout, stages: scenario.load.stages, catalog: catalog, workers: options.workers, duration: options.duration)
        self.options = options
        self.catalog = catalog
        self.keyring = keyring
        self.mqttURL = transport.usesMQTT ? mqttURL : nil
        self.redisURL = transport.usesRedisStream ? redisURL : nil
        self.observer = observer
        self.logger = logger
        statsBox = StatsBox(workers: plan.workerCount)
    }

    /// Counters so far, summed over workers.
    public var stats: PublisherStats { statsBox.total }

    /// The report of the last finished run (also returned by ``publish()``).
    public var lastReport: PublisherReport? { record.report }

    /// When the current (or last) run started, in nanoseconds since the Unix
    /// epoch: a scheduled reading's intended send time is this plus
    /// ``SendPlan/intendedOffset(sensorID:seq:)``. Nil before the first run.
    public var runStartWallNanoseconds: Int64? { record.wallStart }

    /// Asks the workers to stop after their current batch. ``publish()`` then
    /// drains what was queued and returns.
    public func stop() {
        stopFlag.raise()
    }

    var qos: MQTTQoS { MQTTQoS(rawValue: scenario.load.qos.rawValue) ?? .atLeastOnce }

    /// Runs the whole scenario (or ``PublisherOptions/duration``): connects,
    /// sends, waits for the broker to take everything, disconnects.
    ///
    /// - Throws: ``PublisherError`` if a server cannot be reached at the start.
    ///   Trouble later (the broker restarting, Redis away) does not end the
    ///   run; it shows in the counters.
    public func publish() async throws -> PublisherReport {
        let connections = try await Connections.open(for: self)
        let workers = makeWorkers(connections)
        let buildStart = Timestamp(nanosecondsSinceEpoch: options.clock.wallNanoseconds())
        for worker in workers { await worker.prepare(start: buildStart) }
        logStart()

        let clock = options.clock
        let startMonotonic = clock.monotonicNanoseconds()
        let wallStart = clock.wallNanoseconds()
        record.wallStart = wallStart
        let endOffset = plan.endOffset
        let faults = startFaultTimer(startMonotonic: startMonotonic)
        await withTaskGroup(of: Void.self) { group in
            for worker in workers {
                group.addTask { await worker.run(startMonotonic: startMonotonic, wallStart: wallStart, endOffset: endOffset) }
            }
        }
        let sendingEnded = clock.monotonicNanoseconds()
        faults.cancel()
        await faults.value
        let drained = await connections.drain(qos: qos, timeout: options.drainTimeout, clock: clock)
        await connections.close()

        let report = PublisherReport(
            stats: stats, elapsedNanoseconds: sendingEnded - startMonotonic, plannedScheduledSends: plan.scheduledSendCount(shard: options.shard),
            stoppedEarly: stopFlag.isSet, drained: drained, workers: plan.workerCount,
            connections: connections.mqtt.count, transport: scenario.load.transport, qos: scenario.load.qos
        )
        record.report = report
        return report
    }

    private func makeWorkers(_ connections: Connections) -> [PublisherWorker<TransportSink>] {
        let blueprint = SendEngineBlueprint(
            layout: layout, plan: plan, catalog: catalog, seed: scenario.seed, events: scenario.events,
            keyring: keyring, clock: options.clock, keepsReadings: observer != nil, shard: options.shard, logger: logger
        )
        let pacing = PublisherWorker<TransportSink>.Pacing(tick: options.tickNanoseconds, batchLimit: options.batchLimit)
        let qos = qos
        let window = options.qosWindow(connections: connections.mqtt.count)
        let streamMaxLength = options.streamMaxLength
        return (0 ..< plan.workerCount).map { index in
            // Worker w owns connections w, w + W, w + 2W, …; its engine numbers them 0, 1, 2, ….
            let clients = stride(from: index, to: connections.mqtt.count, by: plan.workerCount).map { connections.mqtt[$0] }
            let redis = connections.redis.isEmpty ? nil : connections.redis[index]
            return PublisherWorker(
                index: index, blueprint: blueprint,
                makeSink: {
                    TransportSink(
                        mqtt: clients.isEmpty ? nil : MQTTReadingSink(clients: clients, qos: qos, window: window),
                        stream: redis.map { StreamReadingSink(redis: $0, maxLength: streamMaxLength) }
                    )
                },
                pacing: pacing, stopFlag: stopFlag, statsBox: statsBox, observer: observer
            )
        }
    }

    /// Calls the fault handler at each fault event's time, while the workers send.
    private func startFaultTimer(startMonotonic: Int64) -> Task<Void, Never> {
        let faults = scenario.events.filter { if case .fault = $0.action { true } else { false } }
            .filter { $0.at.secondsValue < plan.runDuration }
        let handler = options.faultHandler
        let clock = options.clock
        let logger = logger
        if !faults.isEmpty && handler == nil {
            logger.notice("the scenario's fault events are not injected by the publisher alone; `hearth run` injects them", metadata: [
                "faults": "\(faults.map { "\($0.name) at \($0.at.scenarioText)" }.joined(separator: ", "))",
            ])
        }
        return Task {
            guard let handler else { return }
            for fault in faults {
                let due = startMonotonic + fault.at.totalNanoseconds
                let wait = due - clock.monotonicNanoseconds()
                if wait > 0 { try? await Task.sleep(nanoseconds: UInt64(wait)) }
                if Task.isCancelled { return }
                logger.notice("fault due", metadata: ["fault": "\(fault.name)", "at": "\(fault.at.scenarioText)"])
                await handler(fault)
            }
        }
    }

    private func logStart() {
        logger.info("publishing", metadata: [
            "houses": "\(layout.houseCount)", "sensors": "\(layout.sensorCount)",
            "scheduled_sensors": "\(plan.scheduledSensorCount)", "event_driven_sensors": "\(plan.eventDrivenSensorCount)",
            "planned_sends": "\(plan.scheduledSendCount)", "seconds": "\(plan.runDuration)",
            "workers": "\(plan.workerCount)", "connections": "\(layout.connectionCount)",
            "transport": "\(scenario.load.transport.rawValue)", "qos": "\(scenario.load.qos.rawValue)",
        ])
    }
}

/// The current run's start and the last report, readable from any thread.
final class RunRecord: Sendable {
    private let lock = Mutex()
    private nonisolated(unsafe) var storedReport: PublisherReport?
    private nonisolated(unsafe) var storedWallStart: Int64?

    var report: PublisherReport? {
        get { lock.withLock { storedReport } }
        set { lock.withLock { storedReport = newValue } }
    }

    var wallStart: Int64? {
        get { lock.withLock { storedWallStart } }
        set { lock.withLock { storedWallStart = newValue } }
    }
}
