import Foundation
import Testing

/// docker/check.sh as the issue asks for it: compose renders, every JSON and
/// YAML file parses, and every metric the Grafana dashboard queries is one a
/// live `hearth serve` really exports on /metrics.
@Suite("docker/check.sh against a live hearth serve")
struct DockerCheckTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("the Grafana dashboard queries only metrics that /metrics of a running hearth serve exports")
    func dashboardMetricsAreLive() async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["HEARTH_ADMIN_EMAIL"] = "admin@hearth.test"
        environment["HEARTH_ADMIN_PASSWORD"] = "correct horse battery staple"
        let keys = try ReportCommandTests.folder()
        defer { try? FileManager.default.removeItem(at: keys) }
        let serve = try HearthProcess(["serve", "--port", "0", "--bcrypt-cost", "4", "--keys", keys.path], environment: environment)
        defer { serve.process.interrupt() }
        try #require(await serve.waitForOutput("listening on http://"), "serve: \(serve.stdout) \(serve.stderr)")
        let address = try #require(serve.stdout.firstMatch(of: #/listening on (http://[0-9.]+:[0-9]+)/#).map { String($0.1) })

        // A request of each sort first, so every HTTP and readiness metric has a sample.
        for path in ["/healthz", "/readyz", "/houses"] { _ = try? await Self.get(address + path) }
        let metrics = try await Self.get(address + "/metrics")
        #expect(metrics.contains("# TYPE"))
        let file = keys.appendingPathComponent("metrics.txt")
        try metrics.write(to: file, atomically: true, encoding: .utf8)

        // Through python3 to clear the signal mask this test process's
        // spawning thread has (children inherit it, and check.sh's `timeout`
        // and `kill` rely on SIGALRM and SIGTERM arriving).
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        check.arguments = [
            "-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])",
            Self.root.appendingPathComponent("docker/check.sh").path, "--metrics", file.path,
        ]
        let output = keys.appendingPathComponent("check.out")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        check.standardOutput = try FileHandle(forWritingTo: output)
        check.standardError = check.standardOutput
        try check.run()
        let status = await check.exitStatus(timeout: 300)
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        #expect(status == 0, "docker/check.sh: \(text)")
        #expect(text.contains("live /metrics"), "the metric check used the live text: \(text)")
    }

    /// GET with python3's urllib (in the test dependencies), any status:
    /// FoundationNetworking's URLSession hung in this test process.
    static func get(_ url: String) async throws -> String {
        let result = try await ProcessOutput.run("/usr/bin/python3", [
            "-c", """
            import sys, urllib.request, urllib.error
            try:
                body = urllib.request.urlopen(sys.argv[1], timeout=10).read()
            except urllib.error.HTTPError as error:
                body = error.read()
            sys.stdout.write(body.decode())
            """, url,
        ])
        return result
    }
}

/// Runs a program to completion and returns its stdout.
enum ProcessOutput {
    static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-out-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: file.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: file) }
        process.standardOutput = try FileHandle(forWritingTo: file)
        try process.run()
        _ = await process.exitStatus(timeout: 60)
        return (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    }
}
