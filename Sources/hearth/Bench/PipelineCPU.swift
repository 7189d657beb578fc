import Foundation

/// CPU time used by the processes of a pipeline trial (this one, the broker,
/// Redis), read from `/proc/PID/stat`: where each message's cost goes, next to
/// the rate. On a shared machine a rate alone cannot say whether hearth got
/// slower or merely got less of the CPU.
struct PipelineCPU: Sendable {
    var processes: [(name: String, pid: Int32)]

    /// CPU seconds (user + system, all threads) of each process now.
    func sample() -> [Double] {
        processes.map { Self.seconds(of: $0.pid) ?? 0 }
    }

    /// Microseconds of CPU per message of each process between two samples.
    func perMessage(from start: [Double], to end: [Double], messages: Int) -> String {
        guard messages > 0 else { return "" }
        return zip(processes, zip(start, end)).map { process, sample in
            "\(process.name) \(String(format: "%.1f", (sample.1 - sample.0) * 1e6 / Double(messages))) µs"
        }.joined(separator: ", ")
    }

    /// utime + stime of `pid` in seconds. The command name (field 2) may hold
    /// spaces, so the fields are counted from its closing parenthesis.
    static func seconds(of pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
