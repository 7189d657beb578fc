import Hummingbird

/// `/houses/{id}/alarms`: a house's alarms, readable by everyone linked to
/// it; acknowledged by its owners and administrators.
struct AlarmsController {
    let services: APIServices

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("houses/{id}/alarms", use: list)
        group.post("houses/{id}/alarms/{alarm_id}/acknowledge", use: acknowledge)
    }

    /// `?state=active` (alarms raised and not cleared yet) or `?state=all`
    /// (the default: every transition, newest first).
    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let house = try context.id(of: "house")
        let page = try Pagination(request, configuration: services.configuration)
        let state = request.uri.queryParameters["state"].map(String.init) ?? "all"
        guard state == "active" || state == "all" else { throw APIError.invalid("state", "must be active or all") }
        let alarms = try await services.withDatabase { db in
            try await AccessControl(connection: db).house(house, for: principal)
            let store = AlarmStore(connection: db)
            return state == "active" ? try await store.active(house: house, page) : try await store.history(house: house, page)
        }
        return JSONResponse.encode(page.page(alarms))
    }

    @Sendable func acknowledge(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let house = try context.id(of: "house")
        let alarmID = try context.id("alarm_id", of: "alarm")
        let alarm = try await services.withDatabase { db in
            try await AccessControl(connection: db).manage(house, for: principal)
            return try await AlarmStore(connection: db).acknowledge(house: house, alarm: alarmID, by: principal.userID)
        }
        guard let alarm else { throw APIError.notFound("alarm") }
        // Open dashboards of the house show the acknowledgement now.
        services.houseWatchers.poke(house: house)
        return JSONResponse.encode(alarm)
    }
}
