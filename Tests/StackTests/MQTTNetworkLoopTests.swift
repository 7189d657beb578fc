import Foundation
import MQTT
import Stack
import Testing

/// A client made with `ownNetworkLoop` runs `MQTTNetworkLoop` instead of
/// libmosquitto's own thread: the publisher writes its bursts, the loop
/// reads acknowledgements, keeps the connection alive and reconnects (the
/// reconnect is checked in `MQTTClientTests`, in both modes).
// Each test waits for messages without a deadline of its own: a lost one
// would hold the whole run, so the limit cancels the wait and fails the test.
@Suite("MQTT client whose publisher writes its own bursts", .timeLimit(.minutes(3)))
struct MQTTNetworkLoopTests {
    static func writerClient(_ url: String, _ name: String) throws -> MQTTClient {
        var configuration = try MQTTConfiguration(url: url, clientID: "\(name)-\(UUID())")
        configuration.ownNetworkLoop = true
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

    @Test("QoS 1 acknowledgements are all read, both fewer than the loop's low-water mark and many at once")
    func acknowledgementsBelowAndAboveTheLowWaterMark() async throws {
        try await withStack([.mqtt]) { stack in
            let url = try #require(stack.endpoints.mqtt)
            let client = try Self.writerClient(url, "acks")
            try await client.connect()
            // Three PUBACKs (12 bytes) never reach the mark; the poll time-out reads them.
            for count in [3, 1, 2_000] {
                for i in 0 ..< count {
                    try client.publishWithoutWaiting(topic: "acks/\(i % 5)", payload: Array("a\(i)".utf8), qos: .atLeastOnce)
                }
                client.writeQueued()
                let deadline = ContinuousClock.now + .seconds(10)
                while client.inFlight > 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(2)) }
                #expect(client.inFlight == 0, "\(client.inFlight) of \(count) QoS 1 publishes still unacknowledged")
            }
            await client.disconnect()
        }
    }

    @Test("a QoS 1 publish that the publisher does not write is written by the loop and acknowledged")
    func qos1WrittenByTheLoop() async throws {
        try await withStack([.mqtt]) { stack in
            let url = try #require(stack.endpoints.mqtt)
            let client = try Self.writerClient(url, "writer")
            try await client.connect()
            try await client.publish(topic: "echo/1", payload: [1], qos: .atLeastOnce)
            #expect(client.inFlight == 0)
            await client.disconnect()
            #expect(!client.connected)
        }
    }
}
