/// The latency run's reference: raw libmosquitto pub→sub at the same rate,
/// tick and payload size, on the same broker, in the same run
/// (Tests/References/mqtt_latency_reference.c). No encryption, no validation,
/// no Redis: what the broker and a C client cost in latency on this machine,
/// which the pipeline's latency can only add to.
struct MQTTLatencyReference {
    var sent: Int
    var received: Int
    var fromIntended: LatencySummary
    var fromSent: LatencySummary

    var line: String {
        "sent \(sent), received \(received), latency from intended \(fromIntended.text), from sent \(fromSent.text)"
    }

    /// Runs the compiled reference `binary` for `seconds` (plus a one-second warm-up it does not count).
    static func run(binary: String, port: Int, rate: Int, seconds: Int, payloadBytes: Int, tickMicroseconds: Int) async throws -> MQTTLatencyReference {
        let result = try await ExternalProgram.run(
            binary, ["127.0.0.1", "\(port)", "\(rate)", "\(seconds)", "\(payloadBytes)", "\(tickMicroseconds)"], timeout: Double(seconds + 60)
        )
        guard result.status == 0, let parsed = parse(result.output) else {
            throw BenchmarkError("the C latency reference failed: \(result.output.prefix(300))")
        }
        return parsed
    }

    /// Reads the program's one line: `sent N received M from_intended P50 P99
    /// P999 MAX from_sent P50 P99 P999 MAX` (milliseconds).
    static func parse(_ output: String) -> MQTTLatencyReference? {
        let words = output.split(whereSeparator: \.isWhitespace).map(String.init)
        guard words.count == 14, words[0] == "sent", words[2] == "received", words[4] == "from_intended", words[9] == "from_sent",
              let sent = Int(words[1]), let received = Int(words[3]) else { return nil }
        func summary(at index: Int) -> LatencySummary? {
            let values = words[index..<index + 4].compactMap { Double($0).map { Int64(($0 * 1e6).rounded()) } }
            guard values.count == 4 else { return nil }
            return LatencySummary(count: received, p50: values[0], p99: values[1], p999: values[2], max: values[3])
        }
        guard let fromIntended = summary(at: 5), let fromSent = summary(at: 10) else { return nil }
        return MQTTLatencyReference(sent: sent, received: received, fromIntended: fromIntended, fromSent: fromSent)
    }
}
