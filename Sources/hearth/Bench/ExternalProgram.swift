import Foundation

/// Runs a reference program (mosquitto_pub, redis-benchmark, psql, a compiled
/// C reference) for a benchmark, without blocking a cooperative thread.
enum ExternalProgram {
    struct Result {
        var status: Int32
        var output: String
        var seconds: Double
    }

    /// Starts `path` with `arguments`; stdin from `input` (a file) or /dev/null.
    /// Output goes to a temporary file, not a pipe: a program that prints more
    /// than a pipe holds (mosquitto_sub prints every message) would otherwise
    /// block until someone reads. Kills it after `timeout` seconds.
    static func run(_ path: String, _ arguments: [String], input: String? = nil, keepOutput: Bool = true, timeout: Double = 120) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-bench-\(UUID().uuidString).out").path
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let output = keepOutput ? try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath)) : FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        process.standardInput = try input.map { try FileHandle(forReadingFrom: URL(fileURLWithPath: $0)) } ?? FileHandle.nullDevice
        let start = DispatchTime.now().uptimeNanoseconds
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: BenchmarkError("could not start \(path): \(error)"))
                return
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if process.isRunning { process.terminate() }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        try? output.close()
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return Result(status: status, output: text, seconds: seconds)
    }

    /// The full path of `program` on PATH (or /usr/sbin), or an error naming its Debian package.
    static func locate(_ program: String, package: String) throws -> String {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin") + ":/usr/sbin:/sbin"
        for folder in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(folder)/\(program)") {
            return "\(folder)/\(program)"
        }
        throw BenchmarkError("\(program) is not installed: run `apt-get install -y \(package)`")
    }
}

/// A benchmark that could not run, in one line.
struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
