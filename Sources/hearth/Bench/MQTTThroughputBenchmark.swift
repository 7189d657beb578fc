import Foundation
import MQTT

/// MQTT publish→receive throughput: one publisher and one subscriber
/// connection, 200-byte payloads, against the same broker as the references.
enum MQTTThroughputBenchmark {
    /// Unacknowledged QoS 1 messages a publisher may have outstanding, in
    /// hearth and in the C reference alike.
    static let window = 1_000

    /// hearth's client: the subscriber counts messages batch by batch; the
    /// rate is messages over the time from the first publish to the last receipt.
    static func hearth(url: String, messages: Int, qos: MQTTQoS, payloadBytes: Int) async throws -> Double {
        let subscriber = try MQTTClient(MQTTConfiguration(url: url, clientID: "bench-sub-\(getpid())"))
        let publisher = try MQTTClient(MQTTConfiguration(url: url, clientID: "bench-pub-\(getpid())"))
        try await subscriber.connect()
        try await subscriber.subscribe("bench/#", qos: qos)
        try await publisher.connect()
        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: payloadBytes)

        let start = DispatchTime.now().uptimeNanoseconds
        let counter = Task {
            var count = 0
            for await batch in subscriber.messages.batches() {
                count += batch.count
                if count >= messages { break }
            }
            return DispatchTime.now().uptimeNanoseconds
        }
        for index in 0 ..< messages {
            try publisher.publishWithoutWaiting(topic: "bench/readings", payload: payload, qos: qos)
            if qos != .atMostOnce && index % 64 == 0 { await publisher.waitForWindow(atMost: window) }
        }
        let end = try await withDeadline(seconds: 120, "hearth's subscriber did not receive all \(messages) messages") {
            await counter.value
        }
        await publisher.disconnect()
        await subscriber.disconnect()
        return Double(messages) / (Double(end - start) / 1e9)
    }

    /// `mosquitto_pub -l` (one message per stdin line) into `mosquitto_sub -C N`.
    static func mosquittoClients(port: Int, messages: Int, payloadBytes: Int) async throws -> Double {
        let pub = try ExternalProgram.locate("mosquitto_pub", package: "mosquitto-clients")
        let sub = try ExternalProgram.locate("mosquitto_sub", package: "mosquitto-clients")
        let lines = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-bench-\(getpid()).lines").path
        let line = String(repeating: "x", count: payloadBytes) + "\n"
        try String(repeating: line, count: messages).write(toFile: lines, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: lines) }

        async let subscriber = ExternalProgram.run(sub, ["-h", "127.0.0.1", "-p", "\(port)", "-t", "bench/#", "-C", "\(messages)", "-q", "0"], keepOutput: false)
        try await Task.sleep(nanoseconds: 300_000_000)  // let mosquitto_sub subscribe
        let start = DispatchTime.now().uptimeNanoseconds
        let publisher = try await ExternalProgram.run(pub, ["-h", "127.0.0.1", "-p", "\(port)", "-t", "bench/readings", "-l", "-q", "0"], input: lines)
        let received = try await subscriber
        guard publisher.status == 0, received.status == 0 else {
            throw BenchmarkError("mosquitto_pub/mosquitto_sub failed: \(publisher.output)\(received.output.suffix(200))")
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Double(messages) / elapsed
    }

    /// The C program in Tests/References/mqtt_reference.c, compiled for this run.
    static func cReference(port: Int, messages: Int, qos: MQTTQoS, payloadBytes: Int, binary: String) async throws -> Double {
        let result = try await ExternalProgram.run(binary, ["127.0.0.1", "\(port)", "\(messages)", "\(qos.rawValue)", "\(payloadBytes)", "\(window)"])
        guard result.status == 0, let rate = Double(result.output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw BenchmarkError("the C reference failed: \(result.output)")
        }
        return rate
    }

    /// Compiles a C reference (a libmosquitto program in Tests/References) with
    /// the system compiler into a temporary folder.
    static func compileCReference(source: String) async throws -> String {
        let cc = try ExternalProgram.locate("cc", package: "gcc")
        let name = URL(fileURLWithPath: source).deletingPathExtension().lastPathComponent
        let binary = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-\(name)-\(getpid())").path
        let result = try await ExternalProgram.run(cc, ["-O2", "-o", binary, source, "-lmosquitto", "-lpthread"])
        guard result.status == 0 else { throw BenchmarkError("could not compile \(source): \(result.output)") }
        return binary
    }
}

/// Awaits `body`, failing with `what` if it takes longer than `seconds`.
func withDeadline<T: Sendable>(seconds: Double, _ what: String, _ body: @escaping @Sendable () async -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { await body() }
        group.addTask {
            try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw BenchmarkError("\(what) within \(Int(seconds)) s")
        }
        return value
    }
}
