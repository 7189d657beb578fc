import BlockingIO
import MQTT
import Redis

extension Publisher {
    /// A run's MQTT clients (one per estate connection) and Redis connections
    /// (one per worker, for the stream).
    struct Connections: Sendable {
        var mqtt: [MQTTClient]
        var redis: [RedisConnection]

        /// A QoS 1 message sent after a QoS 0 run's last reading: the broker
        /// handles one connection's packets in order, so its PUBACK means every
        /// reading before it was taken. No subscriber of readings sees it.
        static let drainMarkerTopic = "hearth/publishers/drained"

        /// Connects everything the transport needs, all at once.
        static func open(for publisher: Publisher) async throws -> Connections {
            var mqtt: [MQTTClient] = []
            if let url = publisher.mqttURL {
                let count = publisher.layout.connectionCount
                mqtt = try (0 ..< count).map { index in
                    var configuration = try MQTTConfiguration(url: url, clientID: "\(publisher.options.clientIDPrefix)-\(index)")
                    configuration.cleanSession = publisher.options.cleanSession
                    configuration.protocolVersion = publisher.scenario.stack.mqtt.protocolVersion == .v5 ? .v5 : .v311
                    configuration.tcpNoDelay = publisher.scenario.stack.tcpNoDelay
                    configuration.ownNetworkLoop = true
                    // QoS 0 on plain mqtt:// goes out a burst per write on hearth's own
                    // connection; TLS and QoS 1/2 (in-flight window) stay with libmosquitto.
                    configuration.bufferedPublisher = publisher.qos == .atMostOnce
                    return try MQTTClient(configuration)
                }
                do {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for client in mqtt { group.addTask { try await client.connect() } }
                        try await group.waitForAll()
                    }
                } catch {
                    for client in mqtt { await client.disconnect() }
                    throw PublisherError(.connectFailed, "\(error)")
                }
            }
            var redis: [RedisConnection] = []
            if let url = publisher.redisURL {
                do {
                    for _ in 0 ..< publisher.plan.workerCount { redis.append(try await RedisConnection.connect(url: url)) }
                } catch {
                    for client in mqtt { await client.disconnect() }
                    throw PublisherError(.connectFailed, "\(error)")
                }
            }
            return Connections(mqtt: mqtt, redis: redis)
        }

        /// Waits until the broker has taken every queued message, or `timeout`
        /// passes; true if it did. QoS 1/2: nothing left unacknowledged.
        /// QoS 0: each connection's drain marker was acknowledged.
        func drain(qos: MQTTQoS, timeout: Duration, clock: any PublisherClock) async -> Bool {
            guard !mqtt.isEmpty else { return true }
            let deadline = clock.monotonicNanoseconds() + timeout.totalNanoseconds
            let markers = MarkerCount()
            if qos == .atMostOnce {
                for client in mqtt {
                    Task {
                        if (try? await client.publish(topic: Self.drainMarkerTopic, payload: [], qos: .atLeastOnce)) != nil {
                            markers.increment()
                        }
                    }
                }
            }
            var drained = false
            while clock.monotonicNanoseconds() < deadline {
                drained = qos == .atMostOnce ? markers.value == mqtt.count : mqtt.allSatisfy { $0.inFlight == 0 }
                if drained { break }
                try? await Task.sleep(nanoseconds: 2_000_000)
            }
            // Disconnecting (in close) releases markers still waiting for a PUBACK.
            return drained
        }

        func close() async {
            await withTaskGroup(of: Void.self) { group in
                for client in mqtt { group.addTask { await client.disconnect() } }
                for connection in redis { group.addTask { await connection.close() } }
            }
        }
    }
}

/// How many drain markers were acknowledged.
private final class MarkerCount: Sendable {
    private let lock = Mutex()
    private nonisolated(unsafe) var count = 0

    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
