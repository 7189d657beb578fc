import ArgumentParser
import Fernet
import Foundation
import Logging
import Postgres
import Publisher
import Redis
import Scenario
import Stack

/// `hearth bench pipeline`: the whole pipeline, hearth's Publisher into
/// hearth's Subscriber (generate → encrypt → MQTT → decrypt → validate →
/// Redis `SET … EX`), at its highest sustained rate, with the broker, Redis
/// and PostgreSQL on this machine, against two references measured in
/// the same run: raw libmosquitto pub→sub for the same payload size, and the
/// original system's Python pipeline. Also the latency at a fixed rate with
/// TCP_NODELAY. See BENCHMARKS.md.
struct BenchPipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Benchmark the whole reading pipeline against raw libmosquitto and the original Python pipeline in the same run.",
        discussion: """
            Build in release mode first: swift build -c release --product hearth
            The Python reference needs: pip install paho-mqtt redis cryptography
            "Sustained" means: nothing lost, p99 latency from the intended send time within
            --p99-limit, and the backlog drained within 0.5 s of the schedule's end.
            """
    )

    @Option(help: "QoS levels to measure throughput at (comma-separated; none: only the latency run).")
    var qos = "0,1"

    @Option(help: "Seconds each trial runs at full rate (after a 1 s warm-up).")
    var seconds = 5

    @Option(help: "Houses in the benchmark estate (five periodic sensors each).")
    var houses = 400

    @Option(help: "House owners (Fernet keys).")
    var owners = 100

    @Option(help: "MQTT connections the publisher spreads the houses over (each has its own receive thread; fewer cost less CPU).")
    var connections = 2

    @Option(help: "Publisher threads.")
    var workers = PublisherOptions.defaultWorkers

    @Option(help: "Publisher tick in microseconds (readings go out in batches this often).")
    var tickMicroseconds = 1000

    @Option(help: "Most trials per rate search.")
    var trials = 7

    @Option(help: "p99 latency a sustained rate must keep, in milliseconds.")
    var p99Limit = 50.0

    @Option(help: "First rate tried, as a share of the C reference's rate.")
    var startShare = 0.6

    @Option(help: "Run one trial at this rate (messages per second) instead of searching for the highest sustained rate.")
    var rate: Int?

    @Option(help: "Rate of the latency run, messages per second (0: skip it).")
    var latencyRate = 40_000

    @Option(help: "Seconds of the latency run.")
    var latencySeconds = 10

    @Option(help: "Publisher tick of the latency run in microseconds: readings wait up to this long for their batch.")
    var latencyTickMicroseconds = 250

    @Option(help: ArgumentHelp(
        "Write the latency run's readings (its last round's) to this CSV file: intended send, sent_at, taken by the subscriber, stored (ns from the run's start).",
        valueName: "file"))
    var latencyTimes: String?

    @Flag(inversion: .prefixedNo, help: "Run raw libmosquitto pub→sub at the latency run's rate before each round, as its reference.")
    var latencyReference = true

    @Option(help: "Rounds of the latency run (each: the reference, then the pipeline); the figures are the medians.")
    var latencyRounds = 3

    @Option(help: "Readings the Python reference sends per run.")
    var pythonMessages = 20_000

    @Option(help: "Runs of the Python reference per QoS level; the ratio uses their median (one run moved 2,500–4,500 msg/s).")
    var pythonRuns = 3

    @Flag(inversion: .prefixedNo, help: "Run the Python reference.")
    var python = true

    @Option(help: "Messages per C reference run.")
    var referenceMessages = 200_000

    func validate() throws {
        guard latencyRounds >= 1 else { throw ValidationError("--latency-rounds must be at least 1") }
        guard pythonRuns >= 1 else { throw ValidationError("--python-runs must be at least 1; pass --no-python to skip the Python reference") }
        if let latencyTimes {
            let folder = URL(fileURLWithPath: latencyTimes).deletingLastPathComponent().path
            guard FileManager.default.isWritableFile(atPath: folder) else {
                throw ValidationError("--latency-times: cannot write into \(folder); give a path in a folder that exists and is writable")
            }
        }
    }

    func run() async throws {
        let levels = qos == "none" ? [] : try qos.split(separator: ",").map { text -> Int in
            guard let level = Int(text.trimmingCharacters(in: .whitespaces)), level == 0 || level == 1 else {
                throw ValidationError("--qos takes 0 and/or 1, like 0,1, or none")
            }
            return level
        }
        let logger = Logger.hearth(label: "hearth.bench")
        let stack = try await withCLIErrors {
            try await EmbeddedStack.start(StackConfiguration(), logger: logger)
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-bench-pipeline-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        do {
            let figures = try await measure(levels, stack: stack, scratch: scratch, logger: logger)
            await stack.stop()
            print("")
            figures.forEach { print($0) }
            fflush(nil)
        } catch {
            await stack.stop()
            printError("\(error)")
            throw ExitCode.runtimeError
        }
    }

    private func measure(_ levels: [Int], stack: EmbeddedStack, scratch: String, logger: Logger) async throws -> [String] {
        let endpoints = stack.endpoints
        let mqttURL = endpoints.mqtt!
        let redisURL = endpoints.redis!
        let keyDirectory = scratch + "/keys"
        var settings = PipelineTrial.Settings(
            mqttURL: mqttURL, redisURL: redisURL, postgresURL: endpoints.postgres!, keyDirectory: keyDirectory,
            stateDirectory: scratch + "/state", qos: 0, keyring: try Keyring.provisioned(owners: owners, directory: keyDirectory)
        )
        settings.houses = houses
        settings.owners = owners
        settings.connections = connections
        settings.workers = workers
        settings.tick = .microseconds(tickMicroseconds)
        settings.seconds = seconds
        var processes: [(name: String, pid: Int32)] = [("hearth", getpid())]
        for status in await stack.status() {
            if let pid = status.pid { processes.append((status.service == .mqtt ? "mosquitto" : status.service.rawValue, pid)) }
        }
        settings.cpu = PipelineCPU(processes: processes)
        try await seedEstate(settings, postgresURL: endpoints.postgres!)

        // A short run to learn the token size the C reference should send.
        var calibration = settings
        calibration.seconds = 1
        let sample = try await PipelineTrial.run(rate: 5_000, calibration, logger: logger)
        let payloadBytes = try await meanTokenBytes(redisURL: redisURL, sensors: 5 * min(houses, 20))
        print("calibration: \(sample.line); mean token \(payloadBytes) B")

        let reference = try await MQTTThroughputBenchmark.compileCReference(source: repositoryFile("Tests/References/mqtt_reference.c"))
        defer { try? FileManager.default.removeItem(atPath: reference) }
        let port = Self.port(of: mqttURL)
        let pythonScript = repositoryFile("Tests/References/python_pipeline.py")
        var figures: [String] = []
        for level in levels {
            settings.qos = level
            // The C reference runs before the rate search and again after it:
            // one run moved 66,000–97,000 msg/s, and the search between the
            // two takes minutes, so the ratio uses their mean.
            let cBefore = try await cReference(port: port, level: level, payloadBytes: payloadBytes, binary: reference)
            print("qos\(level): C libmosquitto raw pub→sub \(Int(cBefore)) msg/s for \(payloadBytes) B payloads (before the search)")
            let search = try await PipelineRateSearch.maximumSustained(
                settings, start: rate ?? Int(cBefore * startShare), p99Limit: Int64(p99Limit * 1e6), maximumTrials: rate == nil ? trials : 1, logger: logger
            )
            let cAfter = try await cReference(port: port, level: level, payloadBytes: payloadBytes, binary: reference)
            print("qos\(level): C libmosquitto raw pub→sub \(Int(cAfter)) msg/s (after the search)")
            let cMean = (cBefore + cAfter) / 2
            let best = search.best
            let ours = best?.rate ?? 0
            let tail = best.map { "; p99 \(millisecondsText($0.fromIntended.p99)) ms from intended" } ?? ""
            figures.append(BenchmarkFigure(
                name: "Pipeline QoS\(level) max sustained, \(payloadBytes) B tokens", unit: "msg/s", hearth: ours,
                reference: cMean, referenceName: "C libmosquitto raw pub→sub (mean of \(Int(cBefore)) before and \(Int(cAfter)) after)",
                target: 0.65
            ).line + tail)
            if python {
                var rates: [Double] = []
                for run in 1...pythonRuns {
                    let reference = try await PipelinePythonReference.run(
                        script: pythonScript, mqttPort: port, redisPort: Self.port(of: redisURL),
                        messages: pythonMessages, qos: level, houses: houses, owners: owners
                    )
                    print("qos\(level): Python pipeline run \(run): \(Int(reference.rate)) msg/s (\(reference.stored)/\(reference.published) stored; \(reference.versions))")
                    rates.append(reference.rate)
                }
                let runs = rates.map { String(Int($0)) }.joined(separator: " / ")
                let pythonRate = median(rates)
                // What the broker alone allows: raw pub→sub, with no encryption
                // or Redis, measured against the same Python figure.
                let ceiling = String(format: "%.1f", cMean / pythonRate)
                figures.append(BenchmarkFigure(
                    name: "Pipeline QoS\(level) throughput", unit: "msg/s", hearth: ours, reference: pythonRate,
                    referenceName: "Python paho+cryptography+redis-py (median of \(runs))", target: 20
                ).line + "; raw C pub→sub is \(ceiling)× Python in this run")
            }
        }
        if latencyRate > 0 {
            figures += try await measureLatency(settings, port: port, payloadBytes: payloadBytes, logger: logger)
        }
        return figures
    }

    /// The latency run: `latencyRounds` rounds of the raw C reference (unless
    /// switched off) and then the pipeline, at `latencyRate`. One run's p99 is
    /// a poor figure on shared cores (it moved 4–42 ms between identical
    /// runs), so the figures are the medians over the rounds, and the ratio
    /// is taken within each round, where both saw the same machine.
    private func measureLatency(_ settings: PipelineTrial.Settings, port: Int, payloadBytes: Int, logger: Logger) async throws -> [String] {
        var latency = settings
        latency.qos = 0
        latency.seconds = latencySeconds
        latency.tick = .microseconds(latencyTickMicroseconds)
        latency.timesFile = latencyTimes
        let binary = latencyReference
            ? try await MQTTThroughputBenchmark.compileCReference(source: repositoryFile("Tests/References/mqtt_latency_reference.c")) : nil
        defer { if let binary { try? FileManager.default.removeItem(atPath: binary) } }
        var pipeline: [PipelineTrial.Result] = []
        var raw: [MQTTLatencyReference] = []
        for round in 1...latencyRounds {
            if let binary {
                let reference = try await MQTTLatencyReference.run(
                    binary: binary, port: port, rate: latencyRate, seconds: latencySeconds, payloadBytes: payloadBytes, tickMicroseconds: latencyTickMicroseconds
                )
                print("latency round \(round), reference: C libmosquitto raw pub→sub at \(latencyRate)/s, \(payloadBytes) B: \(reference.line)")
                raw.append(reference)
            }
            let result = try await PipelineTrial.run(rate: latencyRate, latency, logger: logger)
            print("latency round \(round): \(result.line)")
            print("latency round \(round) by stage: \(result.stages)")
            pipeline.append(result)
        }
        func milliseconds(_ values: [Int64]) -> String { values.map { millisecondsText($0) }.joined(separator: " / ") }
        let p99s = pipeline.map(\.fromIntended.p99)
        let lost = pipeline.reduce(0) { $0 + $1.lost }
        let verdict = lost == 0 && median(p99s) <= 2_000_000 ? "ok" : "ABOVE TARGET"
        var figures = [
            "Pipeline latency at \(latencyRate) msg/s, QoS0, TCP_NODELAY, tick \(latencyTickMicroseconds) µs, \(latencyRounds) rounds: "
                + "p99 from intended send median \(millisecondsText(median(p99s))) ms (\(milliseconds(p99s))), "
                + "p50 median \(millisecondsText(median(pipeline.map(\.fromIntended.p50)))) ms; lost \(lost) (target p99 ≤ 2 ms) \(verdict)",
        ]
        if !raw.isEmpty {
            let rawP99s = raw.map(\.fromIntended.p99)
            let ratios = zip(p99s, rawP99s).compactMap { $1 > 0 ? Double($0) / Double($1) : nil }
            figures.append("Raw C libmosquitto pub→sub at the same rate, tick and payload: p99 from intended send median \(millisecondsText(median(rawP99s))) ms "
                + "(\(milliseconds(rawP99s))), p50 median \(millisecondsText(median(raw.map(\.fromIntended.p50)))) ms; lost \(raw.reduce(0) { $0 + $1.sent - $1.received }); "
                + "pipeline p99 / raw p99 by round \(ratios.map { String(format: "%.2f", $0) }.joined(separator: " / ")), "
                + "median \(ratios.isEmpty ? "n/a" : String(format: "%.2f", median(ratios)))")
        }
        return figures
    }

    /// One run of the raw libmosquitto pub→sub reference, in messages a second.
    private func cReference(port: Int, level: Int, payloadBytes: Int, binary: String) async throws -> Double {
        try await MQTTThroughputBenchmark.cReference(
            port: port, messages: referenceMessages, qos: .init(rawValue: level)!, payloadBytes: payloadBytes, binary: binary
        )
    }

    /// The benchmark estate in PostgreSQL, where the subscriber looks its sensors up.
    private func seedEstate(_ settings: PipelineTrial.Settings, postgresURL: String) async throws {
        let scenario = try PipelineTrial.scenario(rate: 1000, settings)
        let pool = PostgresPool(url: postgresURL, size: 1)
        do {
            try await EstateLayout(estate: scenario.estate).seed(into: pool)
        } catch {
            await pool.close()
            throw error
        }
        await pool.close()
    }

    /// The mean length of the tokens the subscriber stored for the first
    /// `sensors` sensors: what one message weighs on the wire.
    private func meanTokenBytes(redisURL: String, sensors: Int) async throws -> Int {
        let redis = try await RedisConnection.connect(url: redisURL)
        var total = 0
        var found = 0
        for sensor in 1 ... sensors {
            let house = (sensor - 1) / 5 + 1
            if case .integer(let length) = try await redis.command("STRLEN", .text("house:{\(house)}:sensor:\(sensor):latest")), length > 0 {
                total += length
                found += 1
            }
        }
        await redis.close()
        guard found > 0 else { throw BenchmarkError("the calibration run stored no readings") }
        return Int((Double(total) / Double(found)).rounded())
    }

    private static func port(of url: String) -> Int {
        Int(url.split(separator: ":").last ?? "") ?? 0
    }
}
