@testable import Harness
import Stack
import Testing

@Suite("Server versions for the report")
struct ServerVersionProbeTests {
    @Test("each embedded server names its version")
    func embeddedServers() async throws {
        let stack = try await EmbeddedStack.start(StackConfiguration())
        let versions = await ServerVersionProbe.probe(redis: stack.endpoints.redis, mqtt: stack.endpoints.mqtt, postgres: stack.endpoints.postgres)
        await stack.stop()
        #expect(versions.redis?.first?.isNumber == true)
        #expect(versions.mosquitto?.first?.isNumber == true)
        #expect(versions.postgres?.first?.isNumber == true)
    }

    @Test("a server that refuses the connection is left out")
    func unreachable() async {
        let versions = await ServerVersionProbe.probe(redis: "redis://127.0.0.1:1", mqtt: nil, postgres: nil, timeout: .seconds(2))
        #expect(versions.redis == nil)
        #expect(versions.mosquitto == nil && versions.postgres == nil)
    }

    @Test("a server that never answers is given up on at the timeout", .timeLimit(.minutes(1)))
    func hangingServer() async {
        let version = await ServerVersionProbe.ask("redis://hangs", within: .milliseconds(100)) { _ in
            try await Task.sleep(for: .seconds(3600))
            return "never"
        }
        #expect(version == nil)
        let answered = await ServerVersionProbe.ask("redis://answers", within: .seconds(600)) { url in "7.0.15 at \(url)" }
        #expect(answered == "7.0.15 at redis://answers")
    }
}
