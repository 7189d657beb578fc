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

    @Test("a server that does not answer is left out, within the timeout")
    func unreachable() async {
        let started = ContinuousClock.now
        let versions = await ServerVersionProbe.probe(redis: "redis://127.0.0.1:1", mqtt: nil, postgres: nil, timeout: .seconds(2))
        #expect(versions.redis == nil)
        #expect(ContinuousClock.now - started < .seconds(3))
    }
}
