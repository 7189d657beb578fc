import Foundation

/// The original system's Python pipeline (Tests/References/python_pipeline.py:
/// paho-mqtt + cryptography Fernet + redis-py, one publisher process and one
/// subscriber process), run against the same broker and Redis in the same
/// invocation as hearth's figures.
enum PipelinePythonReference {
    struct Result: Sendable {
        var published: Int
        var stored: Int
        var invalid: Int
        var rate: Double
        var versions: String
    }

    /// Whether python3 and the three packages are there; if not, the line to
    /// run to install them.
    static func missingPackages(python: String) async throws -> String? {
        let probe = try await ExternalProgram.run(python, ["-c", "import paho.mqtt, redis, cryptography"])
        guard probe.status != 0 else { return nil }
        return "the Python reference needs paho-mqtt, redis and cryptography: run `pip install paho-mqtt redis cryptography` "
            + "(or `apt-get install -y python3-paho-mqtt python3-redis python3-cryptography`), or pass --no-python"
    }

    static func run(script: String, mqttPort: Int, redisPort: Int, messages: Int, qos: Int, houses: Int, owners: Int) async throws -> Result {
        let python = try ExternalProgram.locate("python3", package: "python3")
        if let advice = try await missingPackages(python: python) { throw BenchmarkError(advice) }
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-python-pipeline-\(getpid()).json").path
        let request: [String: Any] = [
            "mqtt_host": "127.0.0.1", "mqtt_port": mqttPort, "redis_host": "127.0.0.1", "redis_port": redisPort,
            "messages": messages, "qos": qos, "houses": houses, "owners": owners,
            "window": MQTTThroughputBenchmark.window, "timeout": 300,
        ]
        try JSONSerialization.data(withJSONObject: request).write(to: URL(fileURLWithPath: input))
        defer { try? FileManager.default.removeItem(atPath: input) }
        let result = try await ExternalProgram.run(python, [script], input: input, timeout: 600)
        guard result.status == 0,
              let line = result.output.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
              let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let rate = object["rate"] as? Double else {
            throw BenchmarkError("the Python pipeline failed: \(result.output.suffix(400))")
        }
        let versions = (object["versions"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        return Result(
            published: object["published"] as? Int ?? 0, stored: object["stored"] as? Int ?? 0,
            invalid: object["invalid"] as? Int ?? 0, rate: rate, versions: versions.joined(separator: ", ")
        )
    }
}
