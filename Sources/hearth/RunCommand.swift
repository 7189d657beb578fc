import API
import ArgumentParser
import Dispatch
import Foundation
import Harness
import Logging
import Publisher
import Reports
import Scenario

/// `hearth run FILE`: the product's main job. Brings up the stack, seeds the
/// estate, writes the owners' keys, hosts the subscriber, drives the load
/// through the scenario's stages and events, observes, writes the reports
/// and exits 0 when every gate held, 3 when one failed.
///
/// Ctrl-C (or SIGTERM) stops the load early; the run still drains, writes
/// a report marked interrupted and tears down. A second Ctrl-C leaves at once.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario against the stack and write its reports; exit 3 if a gate failed.",
        discussion: """
            Servers the scenario's stack: section (or --mqtt/--redis/--postgres) does not name are
            started embedded for this run. Reports go to <outputs.directory>/<scenario>-<UTC time>/.
            Exit codes: 0 every gate held (or none was set), 1 runtime error, 2 bad scenario or
            flag, 3 a gate failed.
            """
    )

    @Argument(help: "The scenario file (see Scenarios/).")
    var scenario: String

    @Option(help: "Run this long instead of the scenario's length (90s, 5m); longer holds the last stage's final rate.")
    var duration: String?

    @Option(help: "Write the reports under this folder instead of the scenario's outputs.directory.")
    var output: String?

    @Option(help: "Publisher threads.")
    var workers = PublisherOptions.defaultWorkers

    @Option(help: "Progress output: auto (a live line on a terminal, a plain line every 5 s otherwise), line, plain or none.")
    var progress: ProgressStyle = .auto

    @Option(help: "MQTT broker URL (default: the scenario's, else embedded).")
    var mqtt: String?

    @Option(help: "Redis URL (default: the scenario's, else embedded).")
    var redis: String?

    @Option(help: "PostgreSQL URL (default: the scenario's, else embedded).")
    var postgres: String?

    @Option(help: "Folder of owner-<N>.key files to use and fill (default: a private folder removed after the run).")
    var keys: String?

    @Option(help: "in-process (default): the run hosts the subscriber and times every store; external: a subscriber run elsewhere (hearth subscribe, containers) stores the readings and the run listens to MQTT itself.")
    var subscriber: RunOptions.SubscriberMode = .inProcess

    @Option(help: "Send only shard i of n (0 ≤ i < n) of the houses, e.g. $JOB_COMPLETION_INDEX/4; needs --subscriber external. Merge the shards' reports with hearth report merge.")
    var shard: String?

    enum ProgressStyle: String, ExpressibleByArgument, CaseIterable {
        case auto, line, plain, none
    }

    func validate() throws {
        if let duration {
            do {
                guard try Duration(scenarioText: duration) > .zero else { throw ValidationError("--duration must be longer than 0") }
            } catch let error as UnitSyntaxError {
                throw ValidationError("--duration: \(error.message)")
            }
        }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
        if let shard {
            do {
                _ = try LoadShard(text: shard)
            } catch {
                throw ValidationError("--shard: \(error.message)")
            }
        }
        try ServerOptions.parse(
            [mqtt.map { ["--mqtt", $0] }, redis.map { ["--redis", $0] }, postgres.map { ["--postgres", $0] }].compactMap { $0 }.flatMap { $0 }
        ).validate()
    }

    func run() async throws {
        let logger = Logger.hearth(label: "hearth.run")
        let loaded = try ScenarioFile.load(scenario)
        var options = RunOptions()
        options.scenarioFile = scenario
        options.mqttURL = mqtt
        options.redisURL = redis
        options.postgresURL = postgres
        options.keysDirectory = keys
        options.workers = workers
        options.outputDirectory = output
        options.duration = try duration.map { try Duration(scenarioText: $0) }
        options.hearthVersion = HearthVersion.current
        options.subscriber = subscriber
        options.shard = try shard.map { try LoadShard(text: $0) }

        let printer = ProgressPrinter(style: progress)
        let feed = RunProgressFeed()
        var hooks = RunHooks(progress: { progress in
            printer.show(progress)
            feed.publish(progress)
        })
        if loaded.api.enabled {
            let settings = loaded.api
            hooks.serversReady = { environment in
                try await RunDashboard.start(settings, environment: environment, feed: feed, logger: logger)
            }
        }
        let run = ScenarioRun(scenario: loaded, options: options, hooks: hooks, logger: logger)
        let signals = InterruptHandler { run.interrupt() }
        print("running \(loaded.name): \(run.summary)")
        fflush(nil)
        let outcome: RunOutcome
        do {
            outcome = try await run.execute()
        } catch let error as RunError {
            signals.cancel()
            printer.finish()
            printError(error.message)
            throw error.code == .badInput ? ExitCode.badInput : ExitCode.runtimeError
        } catch {
            signals.cancel()
            printer.finish()
            printError("\(error)")
            throw ExitCode.runtimeError
        }
        signals.cancel()
        printer.finish()
        summarize(outcome)
        if outcome.report.verdict == .failed { throw ExitCode.gateFailed }
    }

    private func summarize(_ outcome: RunOutcome) {
        let report = outcome.report
        let counts = report.counts
        var lines = ["\(report.verdict.headline)" + (report.run.interrupted == true ? " (interrupted: partial report)" : "")]
        lines.append("sent \(Format.count(counts.sent)), stored \(Format.count(counts.stored)), lost \(Format.count(counts.lost)), duplicates \(Format.count(counts.duplicates)), evictions \(Format.count(counts.evictions))")
        if let e2e = report.latency(.endToEnd) {
            lines.append("latency from intended send time: p50 \(Format.milliseconds(e2e.summary.p50Ms)), p99 \(Format.milliseconds(e2e.summary.p99Ms)), p99.9 \(Format.milliseconds(e2e.summary.p999Ms))")
        }
        for gate in report.gates {
            lines.append("  \(gate.passed ? "pass" : "FAIL")  \(gate.name): \(gate.observedText)" + (gate.note.map { " (\($0))" } ?? ""))
        }
        for note in report.run.notes ?? [] { lines.append("note: \(note)") }
        for path in outcome.written { lines.append("wrote \(path)") }
        print(lines.joined(separator: "\n"))
        fflush(nil)
    }
}

/// `hearth`'s version, for reports.
enum HearthVersion {
    static let current = "0.5.0"
}

/// SIGINT and SIGTERM during a run: the first asks the run to stop its load
/// (a partial report follows); a second leaves at once with 130.
final class InterruptHandler: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private var count = 0
    private let queue = DispatchQueue(label: "hearth.run.signals")

    init(onFirst: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [unowned self] in
                count += 1
                if count == 1 {
                    FileHandle.standardError.write(Data("\nhearth: stopping the load; writing a partial report (Ctrl-C again to quit now)\n".utf8))
                    onFirst()
                } else {
                    exit(130)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        queue.sync {
            for source in sources { source.cancel() }
            sources.removeAll()
        }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

/// The progress line: rewritten in place on a terminal, a plain line every
/// five seconds otherwise (CI logs), or nothing.
final class ProgressPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private let live: Bool
    private let enabled: Bool
    private var lastPlain: Double = -5
    private var width = 0

    init(style: RunCommand.ProgressStyle) {
        let terminal = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["CI"] == nil
        switch style {
        case .auto: live = terminal; enabled = true
        case .line: live = true; enabled = true
        case .plain: live = false; enabled = true
        case .none: live = false; enabled = false
        }
    }

    func show(_ progress: RunProgress) {
        guard enabled, !progress.finished else { return }
        lock.withLock {
            let line = progress.line
            if live {
                let padded = line.count < width ? line + String(repeating: " ", count: width - line.count) : line
                width = line.count
                FileHandle.standardOutput.write(Data(("\r" + padded).utf8))
            } else if progress.elapsedSeconds - lastPlain >= 5 {
                lastPlain = progress.elapsedSeconds
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        }
    }

    /// Ends the live line so what follows starts on its own.
    func finish() {
        lock.withLock {
            if live && width > 0 { FileHandle.standardOutput.write(Data("\n".utf8)) }
            width = 0
        }
    }
}

extension RunOptions.SubscriberMode: ExpressibleByArgument {}
