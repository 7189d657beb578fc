import Foundation
import MQTT
import Stack
import Testing

// Each test waits for messages without a deadline of its own: a lost one
// would hold the whole run, so the limit cancels the wait and fails the test.
@Suite("MQTT over TLS on the embedded broker", .timeLimit(.minutes(3)))
struct MQTTTLSTests {
    @Test("with tls the broker serves mqtts:// only; the URL names the stack's CA, so a client made from it alone verifies and round-trips; one that does not trust the CA is refused")
    func tlsRoundTripAndVerification() async throws {
        try await withStack([.mqtt], configure: { $0.mqtt.tls = true }) { stack in
            let url = try #require(stack.endpoints.mqtt)
            #expect(url.hasPrefix("mqtts://127.0.0.1:"))
            let caFile = try #require(stack.mqttCAFile)
            #expect(url.hasSuffix("?cafile=\(caFile)"))

            let configuration = try MQTTConfiguration(url: url, clientID: "tls-\(UUID())")
            #expect(configuration.tlsCAFile == caFile)
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
            untrusting.tlsCAFile = "/etc/ssl/certs/ca-certificates.crt"
            untrusting.connectTimeoutSeconds = 2
            let stranger = try MQTTClient(untrusting)
            await #expect(throws: MQTTError.self) { try await stranger.connect() }
            await stranger.disconnect()
        }
    }

    @Test("mqtts:// URLs take the CA from ?cafile=, default to the system store, and a CA on plain mqtt:// is refused")
    func caFileInURL() throws {
        #expect(try MQTTConfiguration(url: "mqtts://broker:8883?cafile=/etc/hearth/ca.crt", clientID: "a").tlsCAFile == "/etc/hearth/ca.crt")
        #expect(try MQTTConfiguration(url: "mqtts://user:pw@broker:8883", clientID: "a").tlsCAFile == "/etc/ssl/certs/ca-certificates.crt")
        let parsed = try MQTTConfiguration(url: "mqtts://user:pw@broker:8883?cafile=/a/b.crt", clientID: "a")
        #expect(parsed.host == "broker" && parsed.port == 8883 && parsed.username == "user" && parsed.password == "pw")
        #expect(try MQTTConfiguration(url: "mqtt://broker:1883", clientID: "a").tlsCAFile == nil)
        #expect(throws: MQTTError.self) { try MQTTConfiguration(url: "mqtt://broker:1883?cafile=/a.crt", clientID: "a") }
    }
}
