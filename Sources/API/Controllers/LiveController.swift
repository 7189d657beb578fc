import Hummingbird
import Postgres
import Reports

/// The dashboard's live routes: event-stream tickets, a house's stream of
/// changes, and the figures of a load run in progress.
///
/// The two `…/events` routes are server-sent event streams. They sit
/// outside the authentication middleware because `EventSource` cannot send
/// an `Authorization` header: they take a single-use `?ticket=` from
/// `POST /events/ticket` instead (see ``EventTicketStore`` for why a ticket
/// and not the JWT in the URL).
struct LiveController {
    let services: APIServices

    func register(authenticated: RouterGroup<APIRequestContext>, open: RouterGroup<APIRequestContext>) {
        authenticated.post("events/ticket", use: ticket)
        authenticated.get("run", use: run)
        open.get("houses/{id}/events", use: houseEvents)
        open.get("run/events", use: runEvents)
    }

    @Sendable func ticket(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        try await services.withDatabase { try await AccessControl(connection: $0).caller(principal) }
        return JSONResponse.encode(services.eventTickets.issue(for: principal), headers: [.cacheControl: "no-store"])
    }

    /// `sensors` (changed tiles), `alarms` (active and recent), `gone` and
    /// `denied` events for one house, to anyone linked to it.
    @Sendable func houseEvents(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try services.eventTickets.redeem(request.uri.queryParameters["ticket"].map(String.init))
        let house = try context.id(of: "house")
        let services = services
        let check: @Sendable () async throws -> Void = {
            try await services.withDatabase { (db: PostgresConnection) in _ = try await AccessControl(connection: db).house(house, for: principal) }
        }
        try await check()
        let (current, changes) = services.houseWatchers.listen(house: house, services: services)
        return EventStreamResponse.make(current: current, changes: changes, recheck: check)
    }

    /// The latest snapshot of the run in progress.
    @Sendable func run(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        try await services.withDatabase { try await AccessControl(connection: $0).caller(principal) }
        return JSONResponse.encode(RunStatus(snapshot: services.runProgress?.latest))
    }

    /// `progress` events, one a second while a run goes on; `idle` first
    /// when the run has not reported yet; with no run in this process
    /// (`hearth serve`), one `none` event, and the stream ends.
    @Sendable func runEvents(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try services.eventTickets.redeem(request.uri.queryParameters["ticket"].map(String.init))
        let services = services
        let check: @Sendable () async throws -> Void = {
            try await services.withDatabase { (db: PostgresConnection) in _ = try await AccessControl(connection: db).caller(principal) }
        }
        try await check()
        guard let feed = services.runProgress else {
            let none = ServerSentEvent(name: "none", encoding: RunStatus(snapshot: nil))
            return EventStreamResponse.make(current: [none], changes: AsyncStream { $0.finish() }, recheck: check)
        }
        let changes = feed.updates.listen()
        let current = feed.latest.map(RunProgressFeed.event) ?? ServerSentEvent(name: "idle", encoding: RunStatus(snapshot: nil))
        return EventStreamResponse.make(current: [current], changes: changes, recheck: check)
    }
}

/// `GET /run` and the data of the run events.
struct RunStatus: Encodable, Sendable {
    var inProgress: Bool
    var snapshot: RunProgress?

    init(snapshot: RunProgress?) {
        self.snapshot = snapshot
        inProgress = snapshot.map { !$0.finished } ?? false
    }

    enum CodingKeys: String, CodingKey {
        case inProgress = "in_progress"
        case snapshot
    }

    /// `snapshot` is `null` when there is none, never left out.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(inProgress, forKey: .inProgress)
        try container.encode(snapshot, forKey: .snapshot)
    }
}
