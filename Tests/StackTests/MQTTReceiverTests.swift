import Foundation
@testable import MQTT
import Stack
import Testing

/// A subscribe-only client on hearth's buffered receive path.
private func bufferedClient(_ url: String, id: String, persistent: Bool = false, version: MQTTConfiguration.ProtocolVersion = .v311,
                            lingerMicroseconds: Int = 500, lingerBlocksThread: Bool = false) throws -> MQTTClient {
    var configuration = try MQTTConfiguration(url: url, clientID: id)
    configuration.bufferedReceiver = true
    configuration.batchLingerMicroseconds = lingerMicroseconds
    configuration.lingerBlocksThread = lingerBlocksThread
    configuration.cleanSession = !persistent
    configuration.protocolVersion = version
    configuration.reconnectDelay = (.seconds(1), .seconds(1))
    let client = try MQTTClient(configuration)
    #expect(client.connection != nil)
    return client
}

/// Leaves a persistent session `id` subscribed to `filter` at QoS 1 with
/// nobody connected, and returns a connected publisher.
private func subscribedAway(_ url: String, id: String, filter: String) async throws -> MQTTClient {
    let first = try bufferedClient(url, id: id, persistent: true)
    try await first.connect()
    try await first.subscribe(filter, qos: .atLeastOnce)
    await first.disconnect()
    let publisher = try MQTTClient(MQTTConfiguration(url: url, clientID: "pub-\(UUID())"))
    try await publisher.connect()
    return publisher
}

/// Connects to persistent session `id` and returns the topic of the first
/// message the broker sends within half a second (none if it kept nothing).
private func sentAgain(_ url: String, id: String) async throws -> [String] {
    let client = try bufferedClient(url, id: id, persistent: true)
    try await client.connect()
    let again = await receive(client, count: 1, within: 0.5)
    await client.disconnect()
    return again.map(\.topic)
}

/// Takes messages until `count` arrived, or `seconds` passed.
func receive(_ client: MQTTClient, count: Int, within seconds: Double) async -> [MQTTMessage] {
    await withTaskGroup(of: [MQTTMessage]?.self) { group in
        group.addTask { await receive(client, count: count) }
        group.addTask {
            try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            return nil
        }
        defer { group.cancelAll() }
        return await group.next().flatMap { $0 } ?? []
    }
}

/// Takes messages until `count` arrived (or the stream ends).
func receive(_ client: MQTTClient, count: Int) async -> [MQTTMessage] {
    var received: [MQTTMessage] = []
    guard count > 0 else { return received }
    for await message in client.messages {
        received.append(message)
        if received.count == count { break }
    }
    return received
}

/// Publishes the numbers 0 ..< `count` as payloads at QoS 0 from a second
/// client, over seven topics under `prefix`, in bursts of `burst` with
/// `pause` between them, and takes them from `subscriber` (connected and
/// subscribed here) a batch at a time, running `afterBatch` between batches.
/// Returns the numbers in the order taken, and how many batches took them.
private func receiveNumbered(
    _ url: String, by subscriber: MQTTClient, prefix: String, count: Int, burst: Int, pause: Duration,
    afterBatch: () async throws -> Void = {}
) async throws -> (numbers: [Int], batches: Int) {
    try await subscriber.connect()
    try await subscriber.subscribe("\(prefix)/#", qos: .atMostOnce)
    let publisher = try MQTTClient(MQTTConfiguration(url: url, clientID: "pub-\(UUID())"))
    try await publisher.connect()
    let publishing = Task {
        for index in 0 ..< count {
            try publisher.publishWithoutWaiting(topic: "\(prefix)/\(index % 7)", payload: Array("\(index)".utf8), qos: .atMostOnce)
            if index % burst == burst - 1 {
                await publisher.waitForWindow(atMost: 0)
                try await Task.sleep(for: pause)
            }
        }
    }
    var numbers: [Int] = []
    var batches = 0
    for await batch in subscriber.messages.batches() {
        numbers += batch.map { Int(String(decoding: $0.payload, as: UTF8.self)) ?? -1 }
        batches += 1
        if numbers.count >= count { break }
        try await afterBatch()
    }
    try await publishing.value
    await publisher.disconnect()
    return (numbers, batches)
}

// Each test waits for messages without a deadline of its own: a lost one
// would hold the whole run, so the limit cancels the wait and fails the test.
@Suite("MQTT buffered receiver against mosquitto", .timeLimit(.minutes(3)))
struct MQTTReceiverTests {
    @Test("QoS 0 and 1, MQTT 3.1.1 and 5: every message arrives once, in order, with its topic, payload and QoS",
          arguments: [MQTTConfiguration.ProtocolVersion.v311, .v5], [MQTTQoS.atMostOnce, .atLeastOnce])
    func roundTrip(version: MQTTConfiguration.ProtocolVersion, qos: MQTTQoS) async throws {
        try await withStack([.mqtt]) { stack in
            let url = try #require(stack.endpoints.mqtt)
            let subscriber = try bufferedClient(url, id: "buffered-\(UUID())", version: version)
            try await subscriber.connect()
            try await subscriber.subscribe("houses/+/sensors/+", qos: qos)
            #expect(subscriber.connections == 1 && subscriber.connected)
            let publisher = try MQTTClient(MQTTConfiguration(url: url, clientID: "pub-\(UUID())"))
            try await publisher.connect()
            let count = 3_000
            // Sizes from 0 to 2 KB, so packets straddle reads and remaining lengths take 1 and 2 bytes.
            for index in 0 ..< count {
                try publisher.publishWithoutWaiting(topic: "houses/\(index % 9)/sensors/\(index)",
                                                    payload: Array(repeating: UInt8(index % 256), count: index % 2_048), qos: qos)
                if index % 100 == 99 { await publisher.waitForWindow(atMost: 0) }
            }
            let received = await receive(subscriber, count: count)
            #expect(received.count == count)
            for (index, message) in received.enumerated() {
                #expect(message.topic == "houses/\(index % 9)/sensors/\(index)")
                #expect(message.payload.count == index % 2_048 && message.payload.allSatisfy { $0 == UInt8(index % 256) })
                #expect(message.qos == qos.rawValue)
            }
            await publisher.disconnect()
            await subscriber.disconnect()
            #expect(!subscriber.connected)
        }
    }

    @Test("a busy consumer reads what arrived during its batch itself: every message once, in order, across many batches")
    func busyConsumerReadsTheSocket() async throws {
        try await withStack([.mqtt]) { stack in
            let url = try #require(stack.endpoints.mqtt)
            let subscriber = try bufferedClient(url, id: "busy-\(UUID())")
            let count = 5_000
            let (received, batches) = try await receiveNumbered(url, by: subscriber, prefix: "busy", count: count, burst: 100, pause: .milliseconds(1)) {
                // Handling a batch takes a while; meanwhile the next messages wait in the socket.
                try await Task.sleep(for: .milliseconds(3))
            }
            #expect(received == Array(0 ..< count))
            #expect(batches > 1)
            #expect(try #require(subscriber.connection).messagesReadByConsumer > 0,
                    "the consumer took messages straight from the socket, not one batch late")
            await subscriber.disconnect()
        }
    }

    @Test("a consumer that lingers on its own thread (lingerBlocksThread) still takes every message once, in order")
    func lingerOnTheConsumersThread() async throws {
        try await withStack([.mqtt]) { stack in
            let url = try #require(stack.endpoints.mqtt)
            // A 50 ms linger is worth taking from 160 msg/s on (8 messages a
            // linger): bursts of 1,000 reach that even when every suite runs
            // at once (a full run once brought this publisher down to ~450 msg/s).
            let subscriber = try bufferedClient(url, id: "linger-\(UUID())", lingerMicroseconds: 50_000, lingerBlocksThread: true)
            let count = 20_000
            // Bursts with pauses that let the consumer park, so that it is woken and lingers.
            let (received, _) = try await receiveNumbered(url, by: subscriber, prefix: "linger", count: count, burst: 1_000, pause: .milliseconds(5))
            #expect(received == Array(0 ..< count))
            #expect(subscriber.inbox.lingerCount > 0, "the consumer never lingered; the test proves nothing")
            await subscriber.disconnect()
        }
    }

    @Test("MQTT 5: the broker's Server Keep Alive replaces the client's, so a quiet connection is kept with pings, not dropped")
    func serverKeepAlive() async throws {
        // 10 s is the shortest max_keepalive mosquitto accepts.
        try await withStack([.mqtt], configure: { $0.mqtt.maxKeepAliveSeconds = 10 }) { stack in
            let url = try #require(stack.endpoints.mqtt)
            let subscriber = try bufferedClient(url, id: "keepalive-\(UUID())", version: .v5)  // asks for 30 s
            try await subscriber.connect()
            try await subscriber.subscribe("houses/+/sensors/+", qos: .atMostOnce)
            // mosquitto drops a client it hears nothing from for 1.5 keep-alives (15 s here, not 45 s), checking about every 2 s.
            try await Task.sleep(nanoseconds: 20_000_000_000)
            #expect(subscriber.connections == 1, "the client was dropped and reconnected: it kept its own 30 s keep-alive")
            let publisher = try MQTTClient(MQTTConfiguration(url: url, clientID: "pub-\(UUID())"))
            try await publisher.connect()
            try publisher.publishWithoutWaiting(topic: "houses/1/sensors/1", payload: Array("still here".utf8), qos: .atMostOnce)
            let received = await receive(subscriber, count: 1)
            #expect(received.first.map { Array($0.payload) } == Array("still here".utf8))
            await publisher.disconnect()
            await subscriber.disconnect()
        }
    }

    @Test("a persistent session: QoS 1 messages published while the subscriber is away arrive when it comes back")
    func persistentSession() async throws {
        try await withStack([.mqtt]) { stack in
            let url = try #require(stack.endpoints.mqtt)
            let id = "persistent-\(UUID())"
            let publisher = try await subscribedAway(url, id: id, filter: "away/#")
            for index in 0 ..< 200 {
                try await publisher.publish(topic: "away/\(index)", payload: Array("\(index)".utf8), qos: .atLeastOnce)
            }
            // The same client id, no SUBSCRIBE: the broker kept the session.
            let second = try bufferedClient(url, id: id, persistent: true)
            try await second.connect()
            let received = await receive(second, count: 200)
            #expect(received.map(\.topic) == (0 ..< 200).map { "away/\($0)" })
            // Straight after the last take: `disconnect` returns once the broker
            // has closed the connection, so it has read every PUBACK, and the
            // next connection under this id cannot take the session over from
            // one it has not finished reading (which once brought messages back).
            await second.disconnect()
            // Acknowledged: a third connection gets nothing more.
            let again = try await sentAgain(url, id: id)
            #expect(again.isEmpty, "sent again: \(again)")
            await publisher.disconnect()
        }
    }

    @Test("a disconnect right after the consumer's last take leaves no taken message unacknowledged")
    func disconnectAfterLastTake() async throws {
        try await withStack([.mqtt]) { stack in
            let url = try #require(stack.endpoints.mqtt)
            let id = "acked-\(UUID())"
            let publisher = try await subscribedAway(url, id: id, filter: "acked/#")
            // A PUBACK that DISCONNECT overtook brings its message back at the
            // start of the next round, ahead of that round's own.
            for round in 0 ..< 30 {
                let client = try bufferedClient(url, id: id, persistent: true)
                try await client.connect()
                for index in 0 ..< 20 {
                    try await publisher.publish(topic: "acked/\(round)/\(index)", payload: [1], qos: .atLeastOnce)
                }
                let received = await receive(client, count: 20)
                #expect(received.map(\.topic) == (0 ..< 20).map { "acked/\(round)/\($0)" }, "round \(round)")
                await client.disconnect()
            }
            let again = try await sentAgain(url, id: id)
            #expect(again.isEmpty, "sent again: \(again)")
            // Each connection had ended, as the broker saw it, before the next under
            // the same id began: no session was taken over from an open one (which
            // drops what the broker had not yet read of it, PUBACKs included).
            let log = (try? String(contentsOfFile: stack.runDirectory + "/\(StackService.mqtt.rawValue).log", encoding: .utf8)) ?? ""
            #expect(!log.contains("already connected, closing old connection"), "mosquitto took a session over: \(log)")
            await publisher.disconnect()
        }
    }

    @Test("after a broker restart the buffered client reconnects and renews its subscription")
    func brokerRestart() async throws {
        try await withStack([.mqtt]) { stack in
            let url = try #require(stack.endpoints.mqtt)
            let subscriber = try bufferedClient(url, id: "restart-\(UUID())", persistent: true)
            try await subscriber.connect()
            try await subscriber.subscribe("echo/#", qos: .atLeastOnce)
            try await stack.restart(.mqtt)
            let publisher = try MQTTClient(MQTTConfiguration(url: url, clientID: "pub-\(UUID())"))
            try await publisher.connect()
            // Until the subscriber is back and subscribed, messages to echo/# go nowhere.
            var received: MQTTMessage?
            for attempt in 0 ..< 40 where received == nil {
                try await publisher.publish(topic: "echo/\(attempt)", payload: [UInt8(attempt)], qos: .atLeastOnce)
                received = await withTaskGroup(of: MQTTMessage?.self) { group in
                    group.addTask {
                        for await message in subscriber.messages { return message }
                        return nil
                    }
                    try? await Task.sleep(nanoseconds: 250_000_000)
                    group.cancelAll()
                    return await group.next() ?? nil
                }
            }
            #expect(received != nil, "the subscription was renewed after the reconnect")
            #expect(subscriber.connections >= 2)
            #expect(subscriber.lastConnectionError?.code == .connectionLost || subscriber.lastConnectionError?.code == .connectFailed)
            await publisher.disconnect()
            await subscriber.disconnect()
        }
    }

    @Test("a receive-only client refuses to publish; a refused subscription and a port with no broker say so")
    func errors() async throws {
        try await withStack([.mqtt]) { stack in
            let url = try #require(stack.endpoints.mqtt)
            let client = try bufferedClient(url, id: "errors-\(UUID())")
            try await client.connect()
            let publish = await #expect(throws: MQTTError.self) { try await client.publish(topic: "x", payload: [1]) }
            #expect(publish?.code == .publishFailed)
            #expect(publish?.message.contains("bufferedReceiver") == true)
            // A wildcard in the middle of a level is invalid: mosquitto drops the connection or refuses it.
            let bad = await #expect(throws: MQTTError.self) { try await client.subscribe("a/b#", qos: .atMostOnce) }
            #expect(bad != nil)
            await client.disconnect()
        }
        let nobody = try bufferedClient("mqtt://127.0.0.1:1", id: "nobody")
        let refused = await #expect(throws: MQTTError.self) { try await nobody.connect() }
        #expect(refused?.code == .connectFailed)
        #expect(refused?.message.contains("127.0.0.1:1") == true)
    }

    @Test("TLS stays with libmosquitto: mqtts:// ignores bufferedReceiver")
    func tlsUsesLibmosquitto() throws {
        var configuration = try MQTTConfiguration(url: "mqtts://127.0.0.1:8883", clientID: "tls")
        configuration.bufferedReceiver = true
        #expect(!configuration.usesBufferedReceiver)
        #expect(try MQTTClient(configuration).connection == nil)
    }

    @Test("a malformed packet from the broker drops the connection with a protocolError, and the client reconnects and receives again")
    func malformedPacketReconnects() async throws {
        let broker = try FakeBroker()
        broker.start([
            // First connection: one good message, then a remaining length of five bytes.
            FakeBroker.publish("t/1", "before") + [0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
            // Second: an oversized packet (the client accepts at most 4 KB).
            [0x30, 0x80, 0x80, 0x04],
            // Third: good again.
            FakeBroker.publish("t/2", "after"),
        ])
        var configuration = MQTTConfiguration(port: broker.port, clientID: "fake-\(UUID())")
        configuration.bufferedReceiver = true
        configuration.reconnectDelay = (.seconds(1), .seconds(1))
        configuration.maximumIncomingPacketBytes = 4_096
        let client = try MQTTClient(configuration)
        try await client.connect()
        try await client.subscribe("t/#", qos: .atMostOnce)
        let received = await receive(client, count: 2)
        #expect(received.map { String(decoding: $0.payload, as: UTF8.self) } == ["before", "after"])
        #expect(client.connections == 3)
        #expect(client.lastConnectionError?.code == .protocolError)
        #expect(client.lastConnectionError?.message.contains("more than the 4096") == true)
        #expect(broker.connectionsAccepted == 3)
        #expect(broker.subscriptionsSeen == 3, "the subscription was renewed on each reconnect")
        await client.disconnect()
        broker.stop()
    }
}

/// A scripted broker on a local port: for each connection it answers CONNECT
/// with CONNACK and SUBSCRIBE with SUBACK, then sends that session's bytes
/// and waits for the client to hang up.
private final class FakeBroker: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var accepted = 0
    private var subscribed = 0
    private var stopped = false

    var connectionsAccepted: Int { lock.withLock { accepted } }
    var subscriptionsSeen: Int { lock.withLock { subscribed } }

    static func publish(_ topic: String, _ payload: String) -> [UInt8] {
        let body = [UInt8(0), UInt8(topic.utf8.count)] + Array(topic.utf8) + Array(payload.utf8)
        return [0x30, UInt8(body.count)] + body
    }

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(listener, pointer, length) == 0 && listen(listener, 4) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound else { throw MQTTError(.connectFailed, "fake broker: could not listen") }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Serves `sessions`, one per accepted connection, on a thread of its own.
    func start(_ sessions: [[UInt8]]) {
        Thread { [self] in serve(sessions) }.start()
    }

    func stop() {
        lock.withLock { stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve(_ sessions: [[UInt8]]) {
        for session in sessions {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            lock.withLock { accepted += 1 }
            var buffer = [UInt8](repeating: 0, count: 4_096)
            // CONNECT, then CONNACK.
            guard read(connection, &buffer, buffer.count) > 0 else { close(connection); continue }
            _ = write(connection, [UInt8]([0x20, 0x02, 0x00, 0x00]), 4)
            // SUBSCRIBE (its packet id after the 2-byte fixed header), then SUBACK.
            guard read(connection, &buffer, buffer.count) > 3, buffer[0] == 0x82 else { close(connection); continue }
            lock.withLock { subscribed += 1 }
            _ = write(connection, [UInt8]([0x90, 0x03, buffer[2], buffer[3], 0x00]), 5)
            _ = session.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
            // Until the client hangs up (it must, after a bad packet) or disconnects.
            while read(connection, &buffer, buffer.count) > 0 {}
            close(connection)
        }
    }
}
