import Hummingbird
import Postgres

/// `/appliances`: the appliances in houses, managed by the houses' owners
/// and administrators. An appliance in a house the caller is not linked to
/// answers 404, like one that does not exist.
struct AppliancesController {
    let services: APIServices

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("appliances", use: list)
        group.post("appliances", use: create)
        group.get("appliances/{id}", use: show)
        group.patch("appliances/{id}", use: update)
        group.delete("appliances/{id}", use: delete)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let page = try Pagination(request, configuration: services.configuration)
        let appliances = try await services.withDatabase { db in
            let caller = try await AccessControl(connection: db).caller(principal)
            return try await ApplianceStore(connection: db).list(visibleTo: caller, page)
        }
        return JSONResponse.encode(page.page(appliances))
    }

    /// The house in the body must be one the caller manages; a house they
    /// are not linked to is refused exactly like one that does not exist.
    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let body = try await request.decodeBody(CreateApplianceBody.self)
        let appliance = try await services.withDatabase { db in
            try await AccessControl(connection: db).manageReferenced(house: body.houseID, for: principal)
            return try await ApplianceStore(connection: db).create(body)
        }
        return JSONResponse.created(appliance, location: "/appliances/\(appliance.id)")
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let id = try context.id(of: "appliance")
        let appliance = try await services.withDatabase { db in
            try await managed(id, for: principal, db)
        }
        return JSONResponse.encode(appliance)
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let id = try context.id(of: "appliance")
        _ = try await services.withDatabase { db in try await managed(id, for: principal, db) }
        let body = try await request.decodeBody(UpdateApplianceBody.self)
        let appliance = try await services.withDatabase { db in
            try await ApplianceStore(connection: db).update(id, name: body.name.value, type: body.type.value)
        }
        guard let appliance else { throw APIError.notFound("appliance") }
        return JSONResponse.encode(appliance)
    }

    /// Deletes the appliance; its sensors stay in the house, on no appliance.
    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let id = try context.id(of: "appliance")
        let deleted = try await services.withDatabase { db in
            _ = try await managed(id, for: principal, db)
            return try await ApplianceStore(connection: db).delete(id)
        }
        guard deleted else { throw APIError.notFound("appliance") }
        return JSONResponse.noContent()
    }

    /// The appliance if the caller manages its house; 404 if it does not
    /// exist or sits in a house the caller is not linked to, 403 for residents.
    private func managed(_ id: Int, for principal: Principal, _ db: PostgresConnection) async throws -> Appliance {
        guard let appliance = try await ApplianceStore(connection: db).find(id) else {
            _ = try await AccessControl(connection: db).caller(principal)
            throw APIError.notFound("appliance")
        }
        try await AccessControl(connection: db).manage(appliance.houseID, for: principal, resource: "appliance")
        return appliance
    }
}

extension AccessControl {
    /// For a house named in a request body: 422 on `house_id` if it does not
    /// exist or the caller is not linked to it (the same answer for both),
    /// 403 if the caller only lives there.
    func manageReferenced(house: Int, for principal: Principal) async throws {
        do {
            try await manage(house, for: principal)
        } catch let error as APIError where error.status == .notFound {
            throw APIError.invalid("house_id", "no house has this id")
        }
    }
}
