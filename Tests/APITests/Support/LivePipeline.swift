import Fernet
import Foundation
import Postgres
import Publisher
import Scenario
import Subscriber

/// The product's own pipeline behind a test's API: the scenario's estate
/// seeded into the test's database (``seed(scenario:postgresURL:)``), a ``Subscriber`` storing into its
/// PostgreSQL and Redis, and a ``Publisher`` sending the scenario's readings
/// and events (a fire, a leak) over the embedded broker, all in-process.
/// Keys are the test API's key folder, so the API decrypts what is sent.
final class LivePipeline: Sendable {
    let publisher: Publisher
    let subscriber: Subscriber
    private let subscriberTask: Task<Void, any Error>
    private let publisherTask: Task<PublisherReport, any Error>
    private let stateDirectory: String

    /// Writes the scenario's estate (owners as users 1…n, houses, sensors)
    /// as the publisher does. Run it before the API starts, so that its
    /// first administrator does not take user id 1 from the first owner.
    static func seed(scenario yaml: String, postgresURL: String) async throws {
        let layout = EstateLayout(estate: try Scenario.parse(yaml: yaml, file: "dashboard-test.yaml").estate)
        let pool = PostgresPool(url: postgresURL, size: 1)
        do {
            try await layout.seed(into: pool)
            await pool.close()
        } catch {
            await pool.close()
            throw error
        }
    }

    /// Starts the subscriber, waits until it listens, then starts publishing
    /// the (already seeded) scenario.
    init(scenario yaml: String, api: TestAPI, mqttURL: String) async throws {
        let scenario = try Scenario.parse(yaml: yaml, file: "dashboard-test.yaml")
        let layout = EstateLayout(estate: scenario.estate)
        let keyring = try Keyring.provisioned(owners: layout.ownerCount, directory: api.keysDirectory)
        stateDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-dashboard-state-\(UUID().uuidString)").path
        var configuration = SubscriberConfiguration(mqttURL: mqttURL, redisURL: api.redisURL, postgresURL: api.postgresURL, keyDirectory: api.keysDirectory)
        configuration.stateDirectory = stateDirectory
        configuration.mqttClientID = "dashboard-test-\(UUID().uuidString.prefix(8))"
        configuration.persistentSession = false
        let subscriber = Subscriber(configuration: configuration)
        self.subscriber = subscriber
        subscriberTask = Task { try await subscriber.run() }
        try await subscriber.waitUntilReady()
        let publisher = try Publisher(scenario: scenario, keyring: keyring, mqttURL: mqttURL)
        self.publisher = publisher
        publisherTask = Task { try await publisher.publish() }
    }

    /// When the run started, as the publisher's clock saw it (nanoseconds since the epoch).
    var runStart: Int64? { publisher.runStartWallNanoseconds }

    func stop() async {
        publisher.stop()
        _ = try? await publisherTask.value
        subscriber.stop()
        _ = try? await subscriberTask.value
        try? FileManager.default.removeItem(atPath: stateDirectory)
    }
}
