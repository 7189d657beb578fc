import Foundation
import MQTT
import Stack
import Testing

/// A client made with `publisherWrites` runs `MQTTWriterLoop` instead of
/// libmosquitto's own thread: the publisher writes its bursts, the loop
/// reads acknowledgements, keeps the connection alive and reconnects.
@Suite("MQTT client whose publisher writes its own bursts")
struct MQTTPublisherWritesTests {
    static func writerClient(_ url: String, _ name: String) throws -> MQTTClient {
        var configuration = try MQTTConfiguration(url: url, clientID: "\(name)-\(UUID())")
        configuration.publisherWrites = true
        return try MQTTClient(configuration)
    }

    @Test("QoS 0 bursts written by the publisher all arrive, in order")
    func qos0Bursts() async throws {
        try await withStack([.mqtt]) { stack in
            let url = try #require(stack.endpoints.mqtt)
            let subscriber = try MQTTClient(MQTTConfiguration(url: url, clientID: "sub-\(UUID())"))
            let publisher = try Self.writerClient(url, "pub")
            try await subscriber.connect()
            try await publisher.connect()
            try await subscriber.subscribe("burst/#", qos: .atMostOnce)

            let count = 5_000
            for i in 0 ..< count {
                try publisher.publishWithoutWaiting(topic: "burst/\(i % 7)", payload: Array("m\(i)".utf8))
                if i % 64 == 63 { publisher.writeQueued() }
            }
            publisher.writeQueued()
            var received: [String] = []
            for await message in subscriber.messages {
                received.append(String(decoding: message.payload, as: UTF8.self))
                if received.count == count { break }
            }
            #expect(received == (0 ..< count).map { "m\($0)" })
            await publisher.disconnect()
            await subscriber.disconnect()
        }
    }

    @Test("a QoS 1 publish nobody writes is written by the loop and acknowledged; a broker restart is survived")
    func qos1AndRestart() async throws {
        try await withStack([.mqtt]) { stack in
            let url = try #require(stack.endpoints.mqtt)
            let client = try Self.writerClient(url, "writer")
            try await client.connect()
            try await client.subscribe("echo/#", qos: .atLeastOnce)
            try await client.publish(topic: "echo/1", payload: [1], qos: .atLeastOnce)

            try await stack.restart(.mqtt)
            try await client.publish(topic: "echo/2", payload: [2], qos: .atLeastOnce)
            #expect(client.connections >= 2)
            var payloads: Set<UInt8> = []
            for await message in client.messages {
                payloads.insert(message.payload.first ?? 0)
                if payloads.contains(2) { break }
            }
            #expect(payloads.contains(2), "the subscription was renewed after the reconnect")
            await client.disconnect()
            #expect(!client.connected)
        }
    }
}
