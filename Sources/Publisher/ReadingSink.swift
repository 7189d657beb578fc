/// Where a worker's encrypted readings go: MQTT, the Redis stream, both, or
/// (in tests) a recorder.
///
/// `send` is called once per reading on the hot path and must not block;
/// `flush` is awaited once per batch, for whatever needs a round trip
/// (writing the stream pipeline, waiting for the QoS 1 window).
protocol ReadingSink: AnyObject {
    /// Hands over one token; false if the transport refused it.
    func send(_ token: [UInt8], house: Int, sensor: Int, connection: Int) -> Bool
    /// Completes the batch; returns what the transport learned on the way
    /// (stream entries confirmed or failed). It runs on the worker's own
    /// thread (`nonsending`), like `send`.
    nonisolated(nonsending) func flush() async -> SinkFlushResult
    /// MQTT publishes refused so far (counted in the engine's `failed` too).
    var mqttRefused: Int { get }
    /// Called after each run of `send`s (see `SendEngine.deliverPending`): a
    /// transport that writes in bursts writes now. Returns the positions in
    /// the run (0 for its first `send`) of readings `send` accepted that did
    /// not go out after all, in ascending order: the engine counts them as
    /// failed, not sent.
    func runEnded() -> [Int]
}

extension ReadingSink {
    func runEnded() -> [Int] { [] }
}

/// What a flush confirmed.
struct SinkFlushResult: Sendable, Equatable {
    var streamAdded = 0
    var streamFailed = 0
}

/// The transports a scenario asks for, as one sink.
final class TransportSink: ReadingSink {
    let mqtt: MQTTReadingSink?
    let stream: StreamReadingSink?
    private(set) var mqttRefused = 0

    init(mqtt: MQTTReadingSink?, stream: StreamReadingSink?) {
        precondition(mqtt != nil || stream != nil, "a sink needs at least one transport")
        self.mqtt = mqtt
        self.stream = stream
    }

    func send(_ token: [UInt8], house: Int, sensor: Int, connection: Int) -> Bool {
        var accepted = true
        if let mqtt, !mqtt.send(token, house: house, sensor: sensor, connection: connection) {
            mqttRefused += 1
            accepted = false
        }
        if let stream, !stream.send(token, house: house, sensor: sensor, connection: connection) {
            accepted = false
        }
        return accepted
    }

    func runEnded() -> [Int] {
        guard let unsent = mqtt?.writeQueued(), !unsent.isEmpty else { return [] }
        mqttRefused += unsent.count
        return unsent
    }

    nonisolated(nonsending) func flush() async -> SinkFlushResult {
        if let mqtt { _ = await mqtt.flush() }
        return await stream?.flush() ?? SinkFlushResult()
    }
}
