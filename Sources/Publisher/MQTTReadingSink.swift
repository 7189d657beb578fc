import MQTT

/// Publishes readings on a worker's MQTT connections.
///
/// At QoS 0 on plain `mqtt://` each connection's readings of a run are
/// encoded into one `MQTTPublishBurst` and written with one `write` when the
/// run ends (`writeQueued`); the messages a write could not send are
/// reported back, so the engine counts them as failed, not sent.
///
/// Otherwise (TLS, QoS 1/2) a publish is a queue append in libmosquitto,
/// written per connection when the run ends. At QoS 1 and 2 the sink also
/// keeps each connection's unacknowledged messages under `window`, because
/// libmosquitto walks that list on every publish and an unbounded burst
/// slows down quadratically: it looks at the count every `checkEvery`
/// publishes and, at the end of the batch, waits for any connection that
/// went over. While the broker is away that wait is where the worker falls
/// behind, and the lag says so.
final class MQTTReadingSink {
    static let checkEvery = 128

    /// Indexed by the worker's connection index.
    let clients: [MQTTClient]
    let qos: MQTTQoS
    let window: Int
    private var publishedSinceCheck: [Int]
    private var overWindow: [Bool]
    /// Connections published on since the last `writeQueued`.
    private var queued: [Bool]
    /// Per connection, for clients that send bursts: the run's messages, and
    /// each one's position among the run's `send` calls.
    private var bursts: [MQTTPublishBurst]
    private var burstPositions: [[Int]]
    /// `send` calls since the last `writeQueued`.
    private var runPosition = 0

    init(clients: [MQTTClient], qos: MQTTQoS, window: Int) {
        self.clients = clients
        self.qos = qos
        self.window = window
        publishedSinceCheck = Array(repeating: 0, count: clients.count)
        overWindow = Array(repeating: false, count: clients.count)
        queued = Array(repeating: false, count: clients.count)
        bursts = clients.map { MQTTPublishBurst(protocolVersion: $0.configuration.protocolVersion) }
        burstPositions = Array(repeating: [], count: clients.count)
    }

    /// Writes each connection's publishes of the run in one go, and returns
    /// the run positions (counted in `send` calls since the last call) of
    /// the readings that did not go out after all.
    func writeQueued() -> [Int] {
        var unsent: [Int] = []
        for connection in clients.indices where queued[connection] {
            let client = clients[connection]
            if client.sendsBursts {
                let written = client.send(bursts[connection])
                if written < bursts[connection].count { unsent += burstPositions[connection][written...] }
                bursts[connection].removeAll()
                burstPositions[connection].removeAll(keepingCapacity: true)
            } else {
                // The clients are made with `ownNetworkLoop`; see `MQTTNetworkLoop` for why.
                client.writeQueued()
            }
            queued[connection] = false
        }
        runPosition = 0
        return unsent.sorted()
    }

    func send(_ token: [UInt8], house: Int, sensor: Int, connection: Int) -> Bool {
        let position = runPosition
        runPosition += 1
        let client = clients[connection]
        let topic = ReadingTopic.string(house: house, sensor: sensor)
        if qos == .atMostOnce && client.sendsBursts {
            bursts[connection].append(topic: topic, payload: token)
            burstPositions[connection].append(position)
            queued[connection] = true
            return true
        }
        do {
            try client.publishWithoutWaiting(topic: topic, payload: token, qos: qos)
        } catch {
            return false
        }
        queued[connection] = true
        if qos != .atMostOnce {
            publishedSinceCheck[connection] += 1
            if publishedSinceCheck[connection] >= Self.checkEvery {
                publishedSinceCheck[connection] = 0
                if client.inFlight > window { overWindow[connection] = true }
            }
        }
        return true
    }

    /// Waits until every connection that went over its window is back under it.
    nonisolated(nonsending) func flush() async -> SinkFlushResult {
        guard qos != .atMostOnce else { return SinkFlushResult() }
        for connection in clients.indices where overWindow[connection] {
            await clients[connection].waitForWindow(atMost: window)
            overWindow[connection] = false
        }
        return SinkFlushResult()
    }
}
