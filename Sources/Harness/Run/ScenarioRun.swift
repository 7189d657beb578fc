import BlockingIO
import Fernet
import Foundation
import Logging
import Postgres
import Publisher
import Redis
import Reports
import Scenario
import SensorCatalog
import Stack
import Subscriber

/// One run of a scenario, start to finish: `hearth run`'s whole job.
///
/// 1. Bring up the servers: embedded ones for what the scenario (or the
///    flags) do not point elsewhere, with the scenario's Redis limits.
/// 2. Seed PostgreSQL with the estate; write one Fernet key per owner.
/// 3. Start the in-process subscriber, the Redis/process observer and the
///    alarm listener.
/// 4. Drive the publisher through the stages and events, injecting faults.
/// 5. Drain, measure Fernet, build the report, judge the gates, write the
///    outputs, tear down what was started.
///
/// ``interrupt()`` (Ctrl-C) ends the load early; the run still drains,
/// reports (marked interrupted) and tears down.
public final class ScenarioRun: Sendable {
    public let scenario: Scenario
    public let options: RunOptions
    let hooks: RunHooks
    let catalog: SensorCatalog
    let logger: Logger
    private let lock = Mutex()
    private nonisolated(unsafe) var publisher: Publisher?
    private nonisolated(unsafe) var interrupted = false

    public init(scenario: Scenario, options: RunOptions = RunOptions(), hooks: RunHooks = RunHooks(),
                catalog: SensorCatalog = .builtIn, logger: Logger = Logger(label: "hearth.run")) {
        self.scenario = scenario
        self.options = options
        self.hooks = hooks
        self.catalog = catalog
        self.logger = logger
    }

    /// The scenario's one-line summary, its message count limited to the
    /// sensors that report on the schedule in this run's catalogue.
    public var summary: String {
        scenario.summary(in: catalog)
    }

    /// Stops the load after the publisher's current batch; the run then
    /// drains and writes a partial report. Safe from a signal handler's task.
    public func interrupt() {
        let running = lock.withLock { () -> Publisher? in
            interrupted = true
            return publisher
        }
        running?.stop()
    }

    var wasInterrupted: Bool { lock.withLock { interrupted } }

    /// Runs the scenario and returns its report (also written to the
    /// scenario's outputs) and the paths written.
    public func execute() async throws -> RunOutcome {
        if options.shard != nil && options.subscriber == .inProcess {
            throw RunError(.badInput, "--shard needs --subscriber external: the shards share one set of subscribers (hearth subscribe, or the containers), which store every shard's readings")
        }
        if options.subscriber == .external && options.keysDirectory == nil {
            throw RunError(.badInput, "--subscriber external needs --keys DIR, the key folder the external subscriber reads")
        }
        let startedAt = Date()
        let servers = try await RunServers.bringUp(for: scenario, options: options, logger: logger)
        do {
            let outcome = try await execute(on: servers, startedAt: startedAt)
            await servers.tearDown()
            return outcome
        } catch {
            await servers.tearDown()
            throw error
        }
    }

    private func execute(on servers: RunServers, startedAt: Date) async throws -> RunOutcome {
        let layout = EstateLayout(estate: scenario.estate)
        let keyring = try Keyring.provisioned(owners: layout.ownerCount, directory: servers.keysDirectory)
        try await seed(layout, postgresURL: servers.endpoints.postgres!)
        if options.subscriber == .external {
            // An external subscriber looks at the key folder and the estate
            // about once a second; readings sent before it has seen them
            // would be refused as from unknown sensors or owners.
            try await Task.sleep(for: .seconds(2))
        }

        let faults = FaultRecord()
        let publisherOptions = PublisherOptions(
            duration: options.duration, workers: options.workers, clientIDPrefix: "hearth-run-\(getpid())",
            cleanSession: !scenario.hasFault(.brokerRestart), shard: options.shard
        )
        let ledger = LatestKeyLedger(expectedSensors: layout.sensorCount)
        let plan = try SendPlan(layout: layout, stages: scenario.load.stages, catalog: catalog, workers: publisherOptions.workers, duration: options.duration)
        let measurements = RunMeasurements(
            plan: plan, layout: layout, catalog: catalog, ledger: ledger, storesObserved: options.subscriber == .inProcess
        )

        let subscriber = options.subscriber == .inProcess ? SubscriberHost(
            configuration: subscriberConfiguration(servers), observer: measurements, logger: logger
        ) : nil
        var faultOptions = publisherOptions
        let injector = FaultInjector(stack: servers.stack, subscriber: subscriber, logger: logger, record: faults)
        faultOptions.faultHandler = { event in await injector.inject(event) }
        let publisher = try Publisher(
            scenario: scenario, catalog: catalog, keyring: keyring, mqttURL: servers.endpoints.mqtt, redisURL: servers.endpoints.redis,
            options: faultOptions, observer: measurements, logger: logger
        )
        measurements.startTime { publisher.runStartWallNanoseconds }

        try await subscriber?.start()
        var tap: ReadingTap?
        var alarmWatcher: AlarmWatcher?
        let observer: RunObserver
        let stopServing: (@Sendable () async -> Void)?
        do {
            if options.subscriber == .external {
                tap = try await ReadingTap.start(
                    mqttURL: servers.endpoints.mqtt!, clientID: "hearth-run-tap-\(getpid())",
                    qos: scenario.load.qos.rawValue, keyring: keyring, layout: layout, shard: options.shard, measurements: measurements
                )
            }
            alarmWatcher = try await AlarmWatcher.start(
                mqttURL: servers.endpoints.mqtt!, clientID: "hearth-run-alarms-\(getpid())"
            )
            observer = RunObserver(ObserverConfiguration(
                redis: try RedisConfiguration(url: servers.endpoints.redis!), latestTTL: scenario.stack.redis.latestTTL,
                processes: servers.observedProcesses, ledger: ledger
            ))
            stopServing = try await hooks.serversReady?(RunEnvironment(
                endpoints: servers.endpoints, keysDirectory: servers.keysDirectory
            ))
        } catch {
            await alarmWatcher?.stop()
            await tap?.stop()
            try? await subscriber?.stop()
            throw RunError(.runtime, "could not start listening to the run: \(error)")
        }
        let alarms = alarmWatcher!
        let observing = Task { try? await observer.run() }
        let progress = RunProgressTicker(run: self, plan: plan, measurements: measurements, observer: observer, alarms: alarms)
        let ticking = Task { await progress.run() }

        lock.withLock { self.publisher = publisher }
        if wasInterrupted { publisher.stop() }
        let publisherReport: PublisherReport
        do {
            publisherReport = try await publisher.publish()
        } catch {
            ticking.cancel()
            observing.cancel()
            await alarms.stop()
            await tap?.stop()
            try? await subscriber?.stop()
            await stopServing?()
            throw RunError(.runtime, "the publisher could not start: \(error)")
        }
        await drain(measurements, sent: publisherReport.stats.sent)
        try? await Task.sleep(for: .milliseconds(500))  // the last alarm announcements
        ticking.cancel()
        await ticking.value
        observing.cancel()
        await observing.value
        try? await observer.sweepAll()
        let deadLetters = subscriber?.statistics?.counters.deadLetters ?? [:]
        var subscriberFailure: String?
        do { try await subscriber?.stop() } catch { subscriberFailure = "\(error)" }
        await tap?.stop()
        await alarms.stop()
        if let hook = hooks.progress { hook(await progress.snapshot(finished: true)) }
        await stopServing?()

        let measured = measurements.finish()
        var alarmReport = AlarmReport()
        do {
            alarmReport = try await alarms.report(measurements: measurements, postgresURL: servers.endpoints.postgres!, events: scenario.events)
        } catch {
            logger.warning("could not read the alarms table", metadata: ["error": "\(error)"])
        }
        let fernet = FernetCalibration.measure(kinds: measurements.timeline.kinds, catalog: catalog, keyring: keyring)
        let versions = await ServerVersionProbe.probe(redis: servers.endpoints.redis, mqtt: servers.endpoints.mqtt, postgres: servers.endpoints.postgres)

        var report = RunReport(
            scenario: ScenarioInfo(
                name: scenario.name, description: scenario.description, summary: summary, seed: scenario.seed,
                yaml: scenario.resolvedYAML, file: options.scenarioFile
            ),
            versions: versions,
            run: RunInfo(startedAt: startedAt, endedAt: Date(), shard: options.shard?.description, host: ProcessInfo.processInfo.hostName),
            stages: measured.stages, counts: measured.totals, latency: measured.latency, latencyTimeline: measured.latencyTimeline,
            throughput: measured.throughput, alarms: alarmReport, fernet: fernet
        )
        report.versions.hearth = options.hearthVersion
        report.counts.deadLettered = deadLetters.map { DeadLetterCount(reason: $0.key.rawValue, count: $0.value) }.sorted { $0.reason < $1.reason }
        await observer.recording.apply(to: &report)
        let notes = runNotes(publisherReport, measured: measured, faults: faults.lines, subscriberFailure: subscriberFailure)
        report.run.notes = notes.isEmpty ? nil : notes
        report.run.interrupted = wasInterrupted ? true : nil
        report.judge(GateEvaluator.evaluate(scenario.gates, against: report, scenarioFile: options.scenarioFile))

        var outputs = scenario.outputs
        if let directory = options.outputDirectory { outputs.directory = directory }
        let written = try ReportOutputs.write(report, outputs: outputs)
        return RunOutcome(report: report, written: written, folder: ReportOutputs.folder(for: report, outputs: outputs))
    }

    /// Waits until every sent reading is accounted for, or nothing more
    /// arrives for two seconds, or the drain timeout passes.
    private func drain(_ measurements: RunMeasurements, sent: Int) async {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: options.drainTimeout)
        var last = measurements.live.received
        var quietSince = clock.now
        while clock.now < deadline {
            let live = measurements.live
            if live.stored >= sent && live.sent >= sent { return }
            if live.received != last {
                last = live.received
                quietSince = clock.now
            } else if clock.now - quietSince > .seconds(2) {
                return
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    private func seed(_ layout: EstateLayout, postgresURL: String) async throws {
        let pool = PostgresPool(url: postgresURL, size: 1)
        do {
            let seeded = try await layout.seed(into: pool)
            logger.info("estate seeded", metadata: ["houses": "\(seeded.housesInserted)", "sensors": "\(seeded.sensorsInserted)"])
        } catch {
            await pool.close()
            throw RunError(.runtime, "could not seed the estate into PostgreSQL: \(error)")
        }
        await pool.close()
    }

    private func subscriberConfiguration(_ servers: RunServers) -> SubscriberConfiguration {
        var configuration = SubscriberConfiguration(
            mqttURL: servers.endpoints.mqtt!, redisURL: servers.endpoints.redis!, postgresURL: servers.endpoints.postgres!,
            keyDirectory: servers.keysDirectory
        )
        configuration.transport = scenario.load.transport.subscriberTransport
        configuration.qos = scenario.load.qos.rawValue
        configuration.persistentSession = true
        configuration.mqttClientID = "hearth-run-subscriber-\(getpid())"
        configuration.streamConsumer = configuration.mqttClientID
        configuration.ttlSeconds = Int(scenario.stack.redis.latestTTL.components.seconds)
        configuration.history = scenario.load.history
        configuration.stateDirectory = servers.privateDirectory + "/subscriber-state"
        return configuration
    }

    private func runNotes(_ publisher: PublisherReport, measured: MeasuredRun, faults: [String], subscriberFailure: String?) -> [String] {
        var notes: [String] = []
        if wasInterrupted { notes.append("interrupted: the load was stopped early (Ctrl-C); figures cover what ran") }
        if options.subscriber == .external {
            notes.append("external subscriber: readings were timed on delivery to the run's own MQTT tap; the subscriber's Redis write is not in the latency figures")
        }
        if let shard = options.shard { notes.append("shard \(shard): this report covers the houses of this shard only; merge the shards' reports with hearth report merge") }
        if publisher.unsentScheduled > 0 {
            notes.append("the publisher fell behind: \(Format.count(publisher.unsentScheduled)) scheduled readings were never sent")
        }
        let lag = Double(measured.maxPublisherLagNanoseconds) / 1e6
        if lag >= 100 {
            notes.append("the publisher ran up to \(Format.milliseconds(lag)) behind its schedule (backlog up to \(Format.count(measured.maxBacklog)) readings); latency from the intended time includes it")
        }
        if publisher.stats.failed > 0 { notes.append("\(Format.count(publisher.stats.failed)) readings were refused by the transport and counted as not sent") }
        if !publisher.drained { notes.append("the broker did not take every queued reading before the drain timeout") }
        if measured.unresolved > 0 { notes.append("\(measured.unresolved) stored readings had no known intended time and are not in the latency figures") }
        notes += faults.map { "fault " + $0 }
        if let subscriberFailure { notes.append("the subscriber's final flush failed: \(subscriberFailure)") }
        return notes
    }
}

/// What a finished run produced.
public struct RunOutcome: Sendable {
    public var report: RunReport
    /// Paths written, in the order of the scenario's `outputs.formats`.
    public var written: [String]
    public var folder: String
}

/// Calls from a run to the command that hosts it.
public struct RunHooks: Sendable {
    /// Once the servers are up, the estate seeded and the keys written, just
    /// before the load starts (start the API here); returns what stops it.
    public var serversReady: (@Sendable (RunEnvironment) async throws -> @Sendable () async -> Void)?
    /// About once a second while the load runs, and once at the end.
    public var progress: (@Sendable (RunProgress) -> Void)?

    public init(serversReady: (@Sendable (RunEnvironment) async throws -> @Sendable () async -> Void)? = nil,
                progress: (@Sendable (RunProgress) -> Void)? = nil) {
        self.serversReady = serversReady
        self.progress = progress
    }
}

/// The servers and keys a run uses, for the command hosting it.
public struct RunEnvironment: Sendable {
    public var endpoints: StackEndpoints
    public var keysDirectory: String
}

extension Scenario {
    func hasFault(_ kind: FaultKind) -> Bool {
        events.contains { if case .fault(let fault) = $0.action { fault.kind == kind } else { false } }
    }
}

extension Transport {
    var subscriberTransport: SubscriberConfiguration.Transport {
        switch self {
        case .mqtt: .mqtt
        case .redisStream: .redisStream
        case .both: .both
        }
    }
}
