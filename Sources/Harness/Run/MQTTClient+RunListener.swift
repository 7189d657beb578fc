import MQTT

extension MQTTClient {
    /// A client of the run's own that listens to `filter` (the alarm
    /// announcements, or the readings for the tap) under a persistent
    /// session, so a broker restart loses nothing it was sent. TLS and its CA
    /// come from the URL (`mqtts://…?cafile=`), as for every other client.
    static func runListener(url: String, clientID: String, filter: String, qos: MQTTQoS) async throws -> MQTTClient {
        var configuration = try MQTTConfiguration(url: url, clientID: clientID)
        configuration.cleanSession = false
        let client = try MQTTClient(configuration)
        try await client.connect()
        try await client.subscribe(filter, qos: qos)
        return client
    }
}
