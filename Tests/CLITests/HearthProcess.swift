import Foundation

/// The built `hearth` executable, run as a child process the way a user or a
/// CI job runs it. `swift test` builds it next to the test bundle.
struct HearthProcess {
    let process = Process()
    let stdoutPath: String
    let stderrPath: String

    static var executable: URL {
        let bundleFolder = Bundle.main.bundleURL.deletingLastPathComponent()
        let candidates = [bundleFolder.appendingPathComponent("hearth")]
            + CommandLine.arguments.prefix(1).map { URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("hearth") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    init(_ arguments: [String], environment: [String: String]? = nil) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        stdoutPath = folder.appendingPathComponent("stdout").path
        stderrPath = folder.appendingPathComponent("stderr").path
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = Self.executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        try process.run()
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Waits for exit; see `Process.exitStatus(timeout:grace:)`.
    func exitStatus(timeout: Double = 60, grace: Double = 15) async -> Int32 {
        await process.exitStatus(timeout: timeout, grace: grace)
    }

    /// Polls stdout until it contains `text`.
    func waitForOutput(_ text: String, timeout: Double = 120) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if stdout.contains(text) { return true }
            if !process.isRunning { return stdout.contains(text) }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return false
    }

    /// Runs hearth to completion and returns its status, stdout and stderr.
    static func run(_ arguments: [String], environment: [String: String]? = nil, timeout: Double = 120) async throws -> (status: Int32, stdout: String, stderr: String) {
        let hearth = try HearthProcess(arguments, environment: environment)
        let status = await hearth.exitStatus(timeout: timeout)
        return (status, hearth.stdout, hearth.stderr)
    }
}

extension Process {
    /// Waits for exit without blocking a cooperative thread. After `timeout`
    /// it sends SIGTERM, and SIGKILL `grace` seconds later: a child that
    /// hangs fails its test instead of holding the whole run.
    func exitStatus(timeout: Double, grace: Double = 15) async -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        var terminated = false
        while isRunning {
            if !terminated, Date() > deadline {
                terminate()
                terminated = true
            } else if terminated, Date() > deadline.addingTimeInterval(grace) {
                kill(processIdentifier, SIGKILL)
            }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return terminationStatus
    }
}
