import Foundation
import MQTT
import Stack
import Testing

@Suite("MQTT over TLS on the embedded broker")
struct MQTTTLSTests {
    @Test("with tls the broker serves mqtts:// only; a client that verifies the stack's CA round-trips, one that does not trust it is refused")
    func tlsRoundTripAndVerification() async throws {
        try await withStack([.mqtt], configure: { $0.mqtt.tls = true }) { stack in
            let url = try #require(stack.endpoints.mqtt)
            #expect(url.hasPrefix("mqtts://127.0.0.1:"))
            let caFile = try #require(stack.mqttCAFile)

            var configuration = try MQTTConfiguration(url: url, clientID: "tls-\(UUID())")
            configuration.tlsCAFile = caFile
            let client = try MQTTClient(configuration)
            try await client.connect()
            try await client.subscribe("secure/#", qos: .atLeastOnce)
            try await client.publish(topic: "secure/1", payload: Array("sealed".utf8), qos: .atLeastOnce)
            var received: MQTTMessage?
            for await message in client.messages {
                received = message
                break
            }
            #expect(received.map { String(decoding: $0.payload, as: UTF8.self) } == "sealed")
            await client.disconnect()

            // The system CA store does not know the stack's throwaway CA.
            var untrusting = try MQTTConfiguration(url: url, clientID: "untrusting-\(UUID())")
            untrusting.connectTimeoutSeconds = 2
            let stranger = try MQTTClient(untrusting)
            await #expect(throws: MQTTError.self) { try await stranger.connect() }
            await stranger.disconnect()
        }
    }
}
