import Logging
import MQTT

/// Listens to the subscriber's alarm announcements on `houses/+/alarms`
/// and wakes the ``HouseWatch`` of each house named, so an alarm reaches
/// open dashboards as soon as it is known rather than at the next poll.
///
/// The announcements are only a hint: the watch reads the alarm from
/// PostgreSQL, which is the record (and which the subscriber may write a
/// moment after announcing). So QoS 0 is enough, and if the broker is away
/// the dashboard still gets every alarm, at most a poll interval later.
final class AlarmAnnouncementListener: Sendable {
    static let filter = "houses/+/alarms"
    private let task: Task<Void, Never>

    init(url: String, watchers: HouseWatchers, logger: Logger) throws {
        let configuration = try MQTTConfiguration(url: url, clientID: "hearth-api-alarms-\(OpaqueID.make())")
        task = Task {
            var failures = 0
            while !Task.isCancelled {
                do {
                    let client = try MQTTClient(configuration)
                    try await Self.listen(client, watchers: watchers)
                    return
                } catch {
                    if failures == 0 {
                        logger.notice("dashboard cannot hear alarm announcements yet; alarms show at the next poll", metadata: ["error": "\(error)"])
                    }
                    failures += 1
                    try? await Task.sleep(for: .seconds(5))
                }
            }
        }
    }

    /// Reads announcements until cancelled; libmosquitto reconnects and
    /// renews the subscription by itself once connected.
    private static func listen(_ client: MQTTClient, watchers: HouseWatchers) async throws {
        do {
            try await client.connect()
            try await client.subscribe(filter, qos: .atMostOnce)
        } catch {
            await client.disconnect()
            throw error
        }
        await withTaskCancellationHandler {
            for await batch in client.messages.batches() {
                for message in batch {
                    // houses/{h}/alarms
                    let parts = message.topicBytes.split(separator: UInt8(ascii: "/"))
                    if parts.count == 3, let house = Int(String(decoding: parts[1], as: UTF8.self)) {
                        watchers.poke(house: house)
                    }
                }
            }
        } onCancel: {
            Task { await client.disconnect() }
        }
    }

    func stop() {
        task.cancel()
    }
}
