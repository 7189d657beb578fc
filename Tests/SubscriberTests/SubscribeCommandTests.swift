import Foundation
import Testing

/// `hearth subscribe` as a child process, stopped the way a supervisor stops it.
@Suite("hearth subscribe", .serialized)
struct SubscribeCommandTests {
    /// `swift build --build-tests` puts the executable next to the test bundle.
    static var hearth: URL {
        let candidates = [Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("hearth")]
            + CommandLine.arguments.prefix(1).map { URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("hearth") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    @Test("SIGTERM: in-flight readings are stored and history flushed, then it exits 0")
    func sigterm() async throws {
        try await SubscriberFixture.with(extraSensors: 50) { fixture in
            let output = fixture.stateDirectory + ".out"
            let errors = fixture.stateDirectory + ".err"
            FileManager.default.createFile(atPath: output, contents: nil)
            FileManager.default.createFile(atPath: errors, contents: nil)
            let process = Process()
            process.executableURL = Self.hearth
            process.arguments = [
                "subscribe", "--mqtt", fixture.stack.endpoints.mqtt!, "--redis", fixture.stack.endpoints.redis!,
                "--postgres", fixture.stack.endpoints.postgres!, "--keys", fixture.keyDirectory, "--state-dir", fixture.stateDirectory,
                "--history", "--stats-interval", "0s", "--client-id", "test-subscribe-command",
            ]
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
            try process.run()
            defer { if process.isRunning { process.terminate() } }
            let text = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
            try await eventually("hearth subscribe is ready", timeout: .seconds(60)) { text(errors).contains("subscriber ready") }

            for round in 0..<20 {
                for sensor in 100..<150 {
                    try fixture.publisher.publishWithoutWaiting(
                        topic: "houses/1/sensors/\(sensor)", payload: fixture.token(house: 1, sensor: sensor, seq: UInt64(round)), qos: .atLeastOnce
                    )
                }
                await fixture.publisher.waitForWindow(atMost: 200)
            }
            await fixture.publisher.waitForWindow(atMost: 0)
            try await eventually("readings arrive") { try await fixture.latest(house: 1, sensor: 100) != nil }
            kill(process.processIdentifier, SIGTERM)
            try await eventually("hearth subscribe exits", timeout: .seconds(30)) { !process.isRunning }

            #expect(process.terminationReason == .exit && process.terminationStatus == 0, "stderr: \(text(errors))")
            let final = try #require(text(output).split(separator: "\n").first { $0.hasPrefix("final: ") })
            let received = try #require(Self.number("received", in: final))
            let stored = try #require(Self.number("stored", in: final))
            #expect(received > 0 && stored == received, "\(final)")
            #expect(try await fixture.count("SELECT count(*) FROM readings") == stored, "history was not flushed before exit")
        }
    }

    private static func number(_ name: String, in line: Substring) -> Int? {
        line.split(separator: " ").first { $0.hasPrefix(name + "=") }.flatMap { Int($0.dropFirst(name.count + 1)) }
    }
}
