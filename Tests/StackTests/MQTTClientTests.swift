import Foundation
import MQTT
import Stack
import Testing

// Each test waits for messages without a deadline of its own: a lost one
// would hold the whole run, so the limit cancels the wait and fails the test.
@Suite("MQTT client against mosquitto", .timeLimit(.minutes(3)))
struct MQTTClientTests {
    @Test("QoS 1 round trip: publish waits for PUBACK, the subscriber receives every message in order")
    func qos1RoundTrip() async throws {
        try await withStack([.mqtt]) { stack in
            let url = try #require(stack.endpoints.mqtt)
            let subscriber = try MQTTClient(MQTTConfiguration(url: url, clientID: "sub-\(UUID())"))
            let publisher = try MQTTClient(MQTTConfiguration(url: url, clientID: "pub-\(UUID())"))
            try await subscriber.connect()
            try await publisher.connect()
            try await subscriber.subscribe("houses/+/sensors/+", qos: .atLeastOnce)

            let count = 500
            for i in 0 ..< count {
                try await publisher.publish(topic: "houses/7/sensors/\(i % 6)", payload: Array("reading \(i)".utf8), qos: .atLeastOnce)
            }
            var received: [MQTTMessage] = []
            for await message in subscriber.messages {
                received.append(message)
                if received.count == count { break }
            }
            #expect(received.map { String(decoding: $0.payload, as: UTF8.self) } == (0 ..< count).map { "reading \($0)" })
            #expect(received.allSatisfy { $0.qos == 1 && $0.topic.hasPrefix("houses/7/sensors/") })
            await publisher.disconnect()
            await subscriber.disconnect()
        }
    }

    @Test("after a broker restart the client reconnects, publishes again and keeps its subscription",
          arguments: [false, true])
    func reconnectAfterBrokerRestart(ownNetworkLoop: Bool) async throws {
        try await withStack([.mqtt]) { stack in
            let url = try #require(stack.endpoints.mqtt)
            var configuration = try MQTTConfiguration(url: url, clientID: "restart-\(UUID())")
            // With it the network thread is MQTTNetworkLoop, which must reconnect as libmosquitto's does.
            configuration.ownNetworkLoop = ownNetworkLoop
            let client = try MQTTClient(configuration)
            try await client.connect()
            try await client.subscribe("echo/#", qos: .atLeastOnce)
            try await client.publish(topic: "echo/1", payload: [1], qos: .atLeastOnce)

            try await stack.restart(.mqtt)
            // QoS 1 waits in libmosquitto's queue until the reconnect, then completes.
            try await client.publish(topic: "echo/2", payload: [2], qos: .atLeastOnce)
            #expect(client.connections >= 2)

            // The subscription is renewed when the reconnect's CONNACK arrives, but
            // libmosquitto may resend the queued echo/2 before that SUBSCRIBE, and the
            // broker then delivers it to nobody (this test once waited for it for
            // good). So it publishes anew each second until one comes back, for 20 s.
            let renewed = await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    for await message in client.messages where (message.payload.first ?? 0) >= 2 { return true }
                    return false
                }
                group.addTask {
                    for round in 3 ..< 23 where !Task.isCancelled {
                        try? await Task.sleep(nanoseconds: 1_000_000_000)
                        try? await client.publish(topic: "echo/\(round)", payload: [UInt8(round)], qos: .atLeastOnce)
                    }
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            #expect(renewed, "the subscription was renewed after the reconnect")
            await client.disconnect()
            #expect(!client.connected)
        }
    }

    @Test("MQTT 5 shared subscription splits messages between two subscribers (libmosquitto's and hearth's buffered receive path)",
          arguments: [false, true])
    func sharedSubscription(bufferedReceiver: Bool) async throws {
        try await withStack([.mqtt]) { stack in
            let url = try #require(stack.endpoints.mqtt)
            func member(_ name: String) async throws -> MQTTClient {
                var configuration = try MQTTConfiguration(url: url, clientID: "\(name)-\(UUID())")
                configuration.protocolVersion = .v5
                configuration.bufferedReceiver = bufferedReceiver
                // As the subscriber's: a persistent session, which MQTT 5 keeps with a session expiry.
                configuration.cleanSession = !bufferedReceiver
                let client = try MQTTClient(configuration)
                try await client.connect()
                try await client.subscribe("$share/hearth/load/#", qos: .atLeastOnce)
                return client
            }
            let a = try await member("a")
            let b = try await member("b")
            let publisher = try MQTTClient(MQTTConfiguration(url: url, clientID: "p-\(UUID())"))
            try await publisher.connect()
            let count = 200
            for i in 0 ..< count {
                try await publisher.publish(topic: "load/\(i)", payload: [UInt8(i % 256)], qos: .atLeastOnce)
            }
            async let fromA = drain(a, for: 0.5)
            async let fromB = drain(b, for: 0.5)
            let (countA, countB) = await (fromA, fromB)
            #expect(countA + countB == count)
            #expect(countA > 0 && countB > 0)
            for client in [a, b, publisher] { await client.disconnect() }
        }
    }

    @Test("connecting to a port with no broker fails with a clear error")
    func connectRefused() async throws {
        let client = try MQTTClient(MQTTConfiguration(url: "mqtt://127.0.0.1:1", clientID: "nobody"))
        let error = await #expect(throws: MQTTError.self) { try await client.connect() }
        #expect(error?.code == .connectFailed)
        #expect(error?.message.contains("127.0.0.1:1") == true)
        // The system's reason, taken on the thread that connected, not another thread's errno.
        #expect(error?.message.contains("Connection refused") == true, "\(error?.message ?? "")")
    }

    @Test("a bad URL says how to write one")
    func badURL() throws {
        let error = #expect(throws: MQTTError.self) { try MQTTConfiguration(url: "redis://x:1", clientID: "c") }
        #expect(error?.code == .badURL)
        #expect(error?.message.contains("mqtt://") == true)
    }
}

/// Counts messages that arrive until `seconds` pass with none.
func drain(_ client: MQTTClient, for seconds: Double) async -> Int {
    await withTaskGroup(of: Int.self) { group in
        group.addTask {
            var count = 0
            for await _ in client.messages { count += 1 }
            return count
        }
        try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
        group.cancelAll()
        return await group.next() ?? 0
    }
}
