import Foundation
@testable import MQTT
import Stack
import Testing

/// A publishing client on hearth's own connection (`bufferedPublisher`).
private func burstPublisher(_ url: String, version: MQTTConfiguration.ProtocolVersion = .v311) throws -> MQTTClient {
    var configuration = try MQTTConfiguration(url: url, clientID: "burst-pub-\(UUID())")
    configuration.bufferedPublisher = true
    configuration.protocolVersion = version
    configuration.reconnectDelay = (.seconds(1), .seconds(1))
    let client = try MQTTClient(configuration)
    #expect(client.connection != nil && client.sendsBursts)
    return client
}

/// A subscriber on libmosquitto, the reference the bytes must satisfy.
private func libmosquittoSubscriber(_ url: String, filter: String, qos: MQTTQoS = .atMostOnce,
                                    version: MQTTConfiguration.ProtocolVersion = .v311) async throws -> MQTTClient {
    var configuration = try MQTTConfiguration(url: url, clientID: "ref-sub-\(UUID())")
    configuration.protocolVersion = version
    configuration.reconnectDelay = (.seconds(1), .seconds(1))
    configuration.cleanSession = false
    let client = try MQTTClient(configuration)
    #expect(client.connection == nil)
    try await client.connect()
    try await client.subscribe(filter, qos: qos)
    return client
}

/// Waits until `condition` holds, for at most `seconds` (for state that a
/// reconnect changes in the background); returns whether it held.
private func eventually(within seconds: Double, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        if Date() > deadline { return false }
        try? await Task.sleep(nanoseconds: 20_000_000)
    }
    return true
}

// Each test waits for messages without a deadline of its own: a lost one
// would hold the whole run, so the limit cancels the wait and fails the test.
@Suite("MQTT buffered publisher against mosquitto", .timeLimit(.minutes(3)))
struct MQTTBufferedPublisherTests {
    @Test("bursts of QoS 0 publishes, one write each, arrive intact and in order at a libmosquitto subscriber",
          arguments: [MQTTConfiguration.ProtocolVersion.v311, .v5])
    func burstsArriveIntact(version: MQTTConfiguration.ProtocolVersion) async throws {
        try await withStack([.mqtt]) { stack in
            let url = try #require(stack.endpoints.mqtt)
            let subscriber = try await libmosquittoSubscriber(url, filter: "burst/#", version: version)
            let publisher = try burstPublisher(url, version: version)
            try await publisher.connect()
            let count = 6_000
            let perBurst = 1_500
            // Sizes from 0 to 2 KB: remaining lengths of one and two bytes, bursts of about 1.5 MB, larger than a socket buffer.
            var burst = MQTTPublishBurst(protocolVersion: version)
            for start in stride(from: 0, to: count, by: perBurst) {
                for index in start ..< start + perBurst {
                    burst.append(topic: "burst/\(index % 7)/\(index)", payload: Array(repeating: UInt8(index % 251), count: index % 2_048))
                }
                #expect(publisher.send(burst) == perBurst)
                burst.removeAll()
            }
            let received = await receive(subscriber, count: count)
            #expect(received.count == count)
            for (index, message) in received.enumerated() {
                #expect(message.topic == "burst/\(index % 7)/\(index)")
                #expect(message.payload.count == index % 2_048 && message.payload.allSatisfy { $0 == UInt8(index % 251) })
                #expect(message.qos == 0 && !message.retain)
            }
            await publisher.disconnect()
            await subscriber.disconnect()
        }
    }

    @Test("QoS 1 publish returns after the PUBACK; QoS 0 publish goes out at once; QoS 1 without waiting and QoS 2 are refused")
    func singlePublishes() async throws {
        try await withStack([.mqtt]) { stack in
            let url = try #require(stack.endpoints.mqtt)
            let subscriber = try await libmosquittoSubscriber(url, filter: "one/#", qos: .atLeastOnce)
            let publisher = try burstPublisher(url)
            try await publisher.connect()
            try await publisher.publish(topic: "one/1", payload: Array("first".utf8), qos: .atLeastOnce)
            try await publisher.publish(topic: "one/0", payload: Array("second".utf8), qos: .atMostOnce)
            try publisher.publishWithoutWaiting(topic: "one/0", payload: Array("third".utf8), qos: .atMostOnce)
            let received = await receive(subscriber, count: 3)
            #expect(received.map { String(decoding: $0.payload, as: UTF8.self) } == ["first", "second", "third"])
            #expect(received.map(\.qos) == [1, 0, 0])
            let window = #expect(throws: MQTTError.self) { try publisher.publishWithoutWaiting(topic: "one/1", payload: [1], qos: .atLeastOnce) }
            #expect(window?.code == .publishFailed && window?.message.contains("bufferedPublisher") == true)
            let two = await #expect(throws: MQTTError.self) { try await publisher.publish(topic: "one/2", payload: [2], qos: .exactlyOnce) }
            #expect(two?.code == .publishFailed)
            #expect(publisher.inFlight == 0)
            await publisher.disconnect()
            await subscriber.disconnect()
        }
    }

    @Test("a broker restart mid-burst: the publisher counts what it could not send, reconnects, and its QoS 1 message waiting meanwhile goes out")
    func brokerRestart() async throws {
        try await withStack([.mqtt]) { stack in
            let url = try #require(stack.endpoints.mqtt)
            let publisher = try burstPublisher(url)
            try await publisher.connect()
            var burst = MQTTPublishBurst(protocolVersion: .v311)
            for index in 0 ..< 400 { burst.append(topic: "restart/\(index)", payload: Array(repeating: 0x55, count: 400)) }
            #expect(publisher.send(burst) == burst.count, "the broker is up: the whole burst goes out")
            // Bursts written after the broker went away: the first may still reach the socket's
            // buffer, one breaks off or finds no connection; every one says how many went. The
            // broker stays down until then (a restart racing the sender let it reconnect first).
            await stack.stop(.mqtt)
            var written: [Int] = []
            let deadline = ContinuousClock.now + .seconds(30)
            while written.last != 0 && ContinuousClock.now < deadline {
                written.append(publisher.send(burst))
                if written.last != 0 { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(written.last == 0, "a burst while the broker was away sent nothing, and said so")
            #expect(written.allSatisfy { $0 >= 0 && $0 <= burst.count })
            try await stack.restart(.mqtt)
            // The connection comes back by itself, and a QoS 1 message published before then waits for it.
            let waiting = Task { try await publisher.publish(topic: "restart/marker", payload: [1], qos: .atLeastOnce) }
            #expect(await eventually(within: 30) { publisher.connected && publisher.connections == 2 })
            try await waiting.value
            let subscriber = try await libmosquittoSubscriber(url, filter: "restart/#")
            #expect(publisher.send(burst) == burst.count)
            let received = await receive(subscriber, count: burst.count)
            #expect(received.map(\.topic) == (0 ..< 400).map { "restart/\($0)" })
            #expect(publisher.lastConnectionError?.code == .connectionLost || publisher.lastConnectionError?.code == .connectFailed)
            await publisher.disconnect()
            await subscriber.disconnect()
        }
    }

    @Test("TLS and a client without bufferedPublisher stay with libmosquitto and send no bursts")
    func libmosquittoOtherwise() throws {
        var tls = try MQTTConfiguration(url: "mqtts://127.0.0.1:8883", clientID: "tls")
        tls.bufferedPublisher = true
        #expect(!tls.usesBufferedPublisher)
        let client = try MQTTClient(tls)
        #expect(client.connection == nil && !client.sendsBursts)
        var burst = MQTTPublishBurst(protocolVersion: .v311)
        burst.append(topic: "t", payload: [1])
        #expect(client.send(burst) == 0)
    }
}
