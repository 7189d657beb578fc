import Hummingbird

/// `/houses/{id}/users`: who lives in or owns a house (`house_users`),
/// managed by the house's owners and administrators.
struct HouseMembersController {
    let services: APIServices

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("houses/{id}/users", use: list)
        group.post("houses/{id}/users", use: add)
        group.get("houses/{id}/users/{user_id}", use: show)
        group.patch("houses/{id}/users/{user_id}", use: update)
        group.delete("houses/{id}/users/{user_id}", use: remove)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let house = try context.id(of: "house")
        let page = try Pagination(request, configuration: services.configuration)
        let members = try await services.withDatabase { db in
            try await AccessControl(connection: db).manage(house, for: principal)
            return try await HouseMemberStore(connection: db).list(house: house, page)
        }
        return JSONResponse.encode(page.page(members))
    }

    @Sendable func add(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let house = try context.id(of: "house")
        try await services.withDatabase { try await AccessControl(connection: $0).manage(house, for: principal) }
        let body = try await request.decodeBody(AddMemberBody.self)
        let member = try await services.withDatabase { try await HouseMemberStore(connection: $0).add(house: house, body) }
        return JSONResponse.created(member, location: "/houses/\(house)/users/\(member.userID)")
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let house = try context.id(of: "house")
        let user = try context.id("user_id", of: "house member")
        let member = try await services.withDatabase { db in
            try await AccessControl(connection: db).manage(house, for: principal)
            return try await HouseMemberStore(connection: db).find(house: house, user: user)
        }
        guard let member else { throw APIError.notFound("house member") }
        return JSONResponse.encode(member)
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let house = try context.id(of: "house")
        let user = try context.id("user_id", of: "house member")
        try await services.withDatabase { try await AccessControl(connection: $0).manage(house, for: principal) }
        let body = try await request.decodeBody(UpdateMemberBody.self)
        let member = try await services.withDatabase { try await HouseMemberStore(connection: $0).update(house: house, user: user, body) }
        guard let member else { throw APIError.notFound("house member") }
        return JSONResponse.encode(member)
    }

    @Sendable func remove(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let house = try context.id(of: "house")
        let user = try context.id("user_id", of: "house member")
        let removed = try await services.withDatabase { db in
            try await AccessControl(connection: db).manage(house, for: principal)
            return try await HouseMemberStore(connection: db).remove(house: house, user: user)
        }
        guard removed else { throw APIError.notFound("house member") }
        return JSONResponse.noContent()
    }
}
