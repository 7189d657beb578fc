import NIOConcurrencyHelpers
import Reports

/// The live figures of a load run, from the run coordinator to the API.
///
/// `hearth run` creates one, passes it to ``APIServices/start(configuration:servers:jwtSecret:runProgress:registry:logger:)``
/// and calls ``publish(_:)`` once a second. The API serves the latest
/// snapshot at `GET /run` and streams each new one on `GET /run/events`.
/// Publishing never waits: a slow dashboard loses old snapshots, not the
/// run's time.
public final class RunProgressFeed: Sendable {
    private let latestSnapshot = NIOLockedValueBox<RunProgress?>(nil)
    /// `progress` events, encoded once for every page that listens.
    let updates = EventFanOut<ServerSentEvent>(buffer: 4, overflow: .dropOldest)

    public init() {}

    /// Records `snapshot` as the latest and sends it to every open run page.
    public func publish(_ snapshot: RunProgress) {
        latestSnapshot.withLockedValue { $0 = snapshot }
        updates.publish(Self.event(snapshot))
    }

    static func event(_ snapshot: RunProgress) -> ServerSentEvent {
        ServerSentEvent(name: "progress", encoding: RunStatus(snapshot: snapshot))
    }

    /// The last snapshot published; nil before the first.
    public var latest: RunProgress? {
        latestSnapshot.withLockedValue { $0 }
    }
}
