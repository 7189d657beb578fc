import ArgumentParser
import Foundation
import MQTT
import Stack

/// `hearth bench clients`: hearth's three clients against the standard
/// tools, on one embedded stack, in one run. See BENCHMARKS.md.
struct BenchClientsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clients",
        abstract: "Benchmark the MQTT, Redis and PostgreSQL clients against reference tools in the same run.",
        discussion: "Build in release mode first: swift build -c release; .build/release/hearth bench clients"
    )

    @Option(help: "Messages per MQTT run.")
    var messages = 200_000

    @Option(help: "MQTT payload size in bytes.")
    var payloadBytes = 200

    @Option(help: "Redis SET commands per run.")
    var redisCommands = 1_000_000

    @Option(help: "Redis connections hearth uses.")
    var redisConnections = 2

    @Option(help: "Commands per Redis pipeline batch.")
    var redisBatch = 1_000

    @Option(help: "Rows per PostgreSQL COPY run.")
    var copyRows = 200_000

    @Option(help: "Run only these: mqtt, redis, postgres (comma-separated).")
    var only: String = "mqtt,redis,postgres"

    @Option(help: "The C reference source (default: Tests/References/mqtt_reference.c in the repo).")
    var mqttReference: String?

    func run() async throws {
        let selected = Set(only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        let stack = try await withCLIErrors { try await EmbeddedStack.start(logger: .hearth(label: "hearth.stack")) }
        var figures: [BenchmarkFigure] = []
        do {
            if selected.contains("mqtt") { figures += try await mqtt(stack) }
            if selected.contains("redis") { figures += try await redis(stack) }
            if selected.contains("postgres") { figures += try await postgres(stack) }
        } catch {
            await stack.stop()
            printError("\(error)")
            throw ExitCode.runtimeError
        }
        await stack.stop()
        print("")
        figures.forEach { print($0.line) }
        fflush(nil)
    }

    private func port(of url: String?) -> Int {
        Int(url?.split(separator: ":").last ?? "") ?? 0
    }

    private func mqtt(_ stack: EmbeddedStack) async throws -> [BenchmarkFigure] {
        let url = stack.endpoints.mqtt!
        let port = port(of: url)
        let source = mqttReference ?? repositoryFile("Tests/References/mqtt_reference.c")
        let reference = try await MQTTThroughputBenchmark.compileCReference(source: source)
        defer { try? FileManager.default.removeItem(atPath: reference) }
        var figures: [BenchmarkFigure] = []
        for qos in [MQTTQoS.atMostOnce, .atLeastOnce] {
            let ours = try await MQTTThroughputBenchmark.hearth(url: url, messages: messages, qos: qos, payloadBytes: payloadBytes)
            let c = try await MQTTThroughputBenchmark.cReference(port: port, messages: messages, qos: qos, payloadBytes: payloadBytes, binary: reference)
            print("mqtt qos\(qos.rawValue): hearth \(Int(ours)) msg/s, C libmosquitto \(Int(c)) msg/s")
            figures.append(BenchmarkFigure(name: "MQTT QoS\(qos.rawValue) pub→sub \(payloadBytes) B", unit: "msg/s",
                                           hearth: ours, reference: c, referenceName: "C libmosquitto", target: 0.9))
            if qos == .atMostOnce {
                let tools = try await MQTTThroughputBenchmark.mosquittoClients(port: port, messages: messages, payloadBytes: payloadBytes)
                print("mqtt qos0: mosquitto_pub -l | mosquitto_sub -C \(messages): \(Int(tools)) msg/s")
                figures.append(BenchmarkFigure(name: "MQTT QoS0 pub→sub \(payloadBytes) B", unit: "msg/s",
                                               hearth: ours, reference: tools, referenceName: "mosquitto_pub→mosquitto_sub", target: 0.9))
            }
        }
        return figures
    }

    private func redis(_ stack: EmbeddedStack) async throws -> [BenchmarkFigure] {
        let url = stack.endpoints.redis!
        let ours = try await RedisSetBenchmark.hearth(url: url, commands: redisCommands, connections: redisConnections, batch: redisBatch, valueBytes: payloadBytes)
        let reference = try await RedisSetBenchmark.redisBenchmark(port: port(of: url), commands: redisCommands, valueBytes: payloadBytes)
        print("redis SET EX: hearth \(Int(ours)) ops/s, redis-benchmark -P 16 \(Int(reference)) ops/s")
        return [BenchmarkFigure(name: "Redis pipelined SET … EX 3600, \(payloadBytes) B", unit: "ops/s",
                                hearth: ours, reference: reference, referenceName: "redis-benchmark -P 16", target: 0.7)]
    }

    private func postgres(_ stack: EmbeddedStack) async throws -> [BenchmarkFigure] {
        let figure = try await benchmarkPostgresCopy(url: stack.endpoints.postgres!, rows: copyRows)
        print(figure.line)
        return [figure]
    }
}

/// A file of the hearth repository: relative to the working directory when run
/// from the checkout, else found from this source file's location.
func repositoryFile(_ relativePath: String) -> String {
    if FileManager.default.fileExists(atPath: relativePath) { return relativePath }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(relativePath).path
}
