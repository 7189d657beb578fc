import Foundation
import Stack
import Testing

@Suite("hearth stack, check and exit codes, as a user runs them")
struct StackCommandTests {
    /// Each test uses its own parent folder for run directories, so that
    /// `stack status` sees only that test's stack.
    private func privateTemp() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-cli-tmp-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    private func environment(tmp: String) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = tmp
        return environment
    }

    @Test("stack up prints three URLs; status reports a kill -9; Ctrl-C stops everything and removes the run directory")
    func upStatusKillInterrupt() async throws {
        let tmp = try privateTemp()
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let up = try HearthProcess(["stack", "up"], environment: environment(tmp: tmp))
        #expect(await up.waitForOutput("Press Ctrl-C"), "stdout: \(up.stdout) stderr: \(up.stderr)")
        #expect(up.stdout.contains("mqtt://127.0.0.1:"))
        #expect(up.stdout.contains("redis://127.0.0.1:"))
        #expect(up.stdout.contains("postgres://postgres@127.0.0.1:"))

        let healthy = try await HearthProcess.run(["stack", "status", "--run-directory-parent", tmp])
        #expect(healthy.status == 0, "\(healthy.stdout)")
        #expect(healthy.stdout.components(separatedBy: " running ").count - 1 == 3, "\(healthy.stdout)")

        let state = try #require(StackStateFile.findAll(parent: tmp).first)
        let redisPID = try #require(state.servers[.redis])
        kill(redisPID, SIGKILL)
        try await Task.sleep(nanoseconds: 200_000_000)
        let degraded = try await HearthProcess.run(["stack", "status", "--run-directory-parent", tmp])
        #expect(degraded.status == 1)
        #expect(degraded.stdout.contains("redis     exited"), "\(degraded.stdout)")

        kill(up.process.processIdentifier, SIGINT)
        #expect(await up.exitStatus(timeout: 30) == 0, "stderr: \(up.stderr)")
        #expect(!FileManager.default.fileExists(atPath: state.runDirectory))
        for pid in state.servers.values { #expect(!ProcessLiveness.isAlive(pid), "server pid \(pid) outlived hearth") }
    }

    @Test("if hearth is killed with SIGKILL, its servers die with it")
    func serversDieWithHearth() async throws {
        let tmp = try privateTemp()
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let up = try HearthProcess(["stack", "up"], environment: environment(tmp: tmp))
        #expect(await up.waitForOutput("Press Ctrl-C"))
        let state = try #require(StackStateFile.findAll(parent: tmp).first)
        kill(up.process.processIdentifier, SIGKILL)
        _ = await up.exitStatus()
        var survivors = Array(state.servers.values)
        for _ in 0 ..< 100 where !survivors.isEmpty {
            try await Task.sleep(nanoseconds: 50_000_000)
            survivors = survivors.filter(ProcessLiveness.isAlive)
        }
        #expect(survivors.isEmpty, "servers \(survivors) survived their parent")
    }

    @Test("hearth check: one encrypted round trip through all three servers")
    func checkPasses() async throws {
        let result = try await HearthProcess.run(["check"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("round trip passed"))
    }

    @Test("a usage error exits 2 with one line on stderr")
    func usageErrorExitsTwo() async throws {
        let result = try await HearthProcess.run(["stack", "up", "--no-such-flag"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--no-such-flag"))
    }

    @Test("a missing server program exits 2 and names the Debian package")
    func missingProgramExitsTwo() async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = "/nonexistent"
        let result = try await HearthProcess.run(["check"], environment: environment)
        #expect(result.status == 2)
        #expect(result.stderr.contains("apt-get install -y redis-server"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}
