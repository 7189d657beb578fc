import Logging
import MQTT

/// Readings from the broker: `houses/+/sensors/+`, or its shared form, a
/// whole batch per wake-up, each handled completely before the next is taken.
///
/// The session is persistent unless configured otherwise, so while the
/// subscriber is down the broker keeps QoS 1 readings for it. Stopping disconnects: the
/// inbox then ends after the messages already received, which are handled,
/// not dropped (they were acknowledged on arrival).
///
/// On plain `mqtt://` the client receives through hearth's buffered reader
/// (`MQTTConfiguration.bufferedReceiver`: many packets per `read`, one
/// `write` for their PUBACKs); on `mqtts://` through libmosquitto.
struct MQTTReadingInput {
    let client: MQTTClient
    let filter: String
    let qos: MQTTQoS

    static func connect(_ configuration: SubscriberConfiguration) async throws -> MQTTReadingInput {
        var mqtt = try MQTTConfiguration(url: configuration.mqttURL, clientID: configuration.mqttClientID)
        mqtt.cleanSession = !configuration.persistentSession
        if configuration.sharedSubscription { mqtt.protocolVersion = .v5 }
        mqtt.bufferedReceiver = true
        // The consumer runs on the Redis connection's thread (`Subscriber.runInputs`).
        mqtt.lingerBlocksThread = true
        let client = try MQTTClient(mqtt)
        try await client.connect()
        let qos = MQTTQoS(rawValue: configuration.qos) ?? .atLeastOnce
        try await client.subscribe(configuration.readingFilter, qos: qos)
        return MQTTReadingInput(client: client, filter: configuration.readingFilter, qos: qos)
    }

    /// Handles batches until the client is disconnected (see ``stop()``) or the task is cancelled.
    func run(_ consumer: BatchConsumer) async throws {
        for await batch in client.messages.batches() {
            try await consumer.handle(batch)
        }
    }

    func stop() async {
        await client.disconnect()
    }
}
