import MQTT

/// Publishes readings on a worker's MQTT connections.
///
/// At QoS 0 a publish is a queue append in libmosquitto and nothing else. At
/// QoS 1 and 2 the sink also keeps each connection's unacknowledged messages
/// under `window`, because libmosquitto walks that list on every publish and
/// an unbounded burst slows down quadratically: it looks at the count every
/// `checkEvery` publishes and, at the end of the batch, waits for any
/// connection that went over. While the broker is away that wait is where
/// the worker falls behind, and the lag says so.
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

    init(clients: [MQTTClient], qos: MQTTQoS, window: Int) {
        self.clients = clients
        self.qos = qos
        self.window = window
        publishedSinceCheck = Array(repeating: 0, count: clients.count)
        overWindow = Array(repeating: false, count: clients.count)
        queued = Array(repeating: false, count: clients.count)
    }

    /// Writes each connection's queued publishes in one go (the clients are
    /// made with `ownNetworkLoop`; see `MQTTNetworkLoop` for why).
    func writeQueued() {
        for connection in clients.indices where queued[connection] {
            clients[connection].writeQueued()
            queued[connection] = false
        }
    }

    func send(_ token: [UInt8], house: Int, sensor: Int, connection: Int) -> Bool {
        let client = clients[connection]
        do {
            try client.publishWithoutWaiting(topic: ReadingTopic.string(house: house, sensor: sensor), payload: token, qos: qos)
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
