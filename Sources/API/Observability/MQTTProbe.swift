import MQTT
import NIOConcurrencyHelpers

/// Whether the MQTT broker is reachable, for `/readyz`.
///
/// One client stays connected for the life of the API; once it has
/// connected, libmosquitto reconnects it by itself, so "ready" is simply
/// whether it is connected now. If the broker was down when the API
/// started, each check tries again, at most every few seconds, so a probe
/// storm cannot become a connection storm.
final class MQTTProbe: Sendable {
    private static let retryAfter: Duration = .seconds(3)
    private let configuration: MQTTConfiguration
    private let state = NIOLockedValueBox<(client: MQTTClient?, lastAttempt: ContinuousClock.Instant?)>((nil, nil))

    init(url: String) throws {
        var configuration = try MQTTConfiguration(url: url, clientID: "hearth-api-\(OpaqueID.make())")
        configuration.connectTimeoutSeconds = 2
        self.configuration = configuration
    }

    /// Nil when connected, else why not.
    func problem() async -> String? {
        let now = ContinuousClock.now
        let (client, shouldTry): (MQTTClient?, Bool) = state.withLockedValue { state in
            if let client = state.client { return (client, false) }
            if let last = state.lastAttempt, now - last < Self.retryAfter { return (nil, false) }
            state.lastAttempt = now
            return (nil, true)
        }
        if let client { return client.connected ? nil : "the connection to the broker is down; reconnecting" }
        guard shouldTry else { return "the broker did not accept a connection" }
        do {
            let client = try MQTTClient(configuration)
            do {
                try await client.connect()
            } catch {
                await client.disconnect()
                throw error
            }
            let loser: MQTTClient? = state.withLockedValue { state in
                if state.client == nil { state.client = client; return nil }
                return client
            }
            if let loser { await loser.disconnect() }
            return nil
        } catch {
            return "\(error)"
        }
    }

    func close() async {
        let client = state.withLockedValue { state in
            defer { state.client = nil }
            return state.client
        }
        await client?.disconnect()
    }
}
