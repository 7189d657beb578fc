import Hummingbird

/// `/users`: accounts, managed by administrators; `/users/me` for everyone;
/// `/users/{id}/houses` and `/users/{id}/appliances` for the user and
/// administrators.
struct UsersController {
    let services: APIServices

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("users", use: list)
        group.post("users", use: create)
        group.get("users/me", use: me)
        group.patch("users/me", use: updateMe)
        group.get("users/{id}", use: show)
        group.patch("users/{id}", use: update)
        group.delete("users/{id}", use: delete)
        group.get("users/{id}/houses", use: houses)
        group.get("users/{id}/appliances", use: appliances)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let page = try Pagination(request, configuration: services.configuration)
        let principal = try context.principal()
        let users = try await services.withDatabase { db in
            try await AccessControl(connection: db).requireAdmin(principal)
            return try await UserStore(connection: db).list(page)
        }
        return JSONResponse.encode(page.page(users))
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        try await services.withDatabase { try await AccessControl(connection: $0).requireAdmin(principal) }
        let body = try await request.decodeBody(CreateUserBody.self)
        let hash = try await services.passwords.hash(body.password)
        let user = try await services.withDatabase { db in
            try await UserStore(connection: db).create(email: body.email, name: body.name ?? "", passwordHash: hash, role: body.role ?? .user)
        }
        return JSONResponse.created(user, location: "/users/\(user.id)")
    }

    @Sendable func me(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        guard let user = try await services.withDatabase({ try await UserStore(connection: $0).find(principal.userID) }) else {
            throw APIError.unauthenticated("the account of this credential no longer exists", invalidToken: true)
        }
        return JSONResponse.encode(user)
    }

    /// A user changes their own e-mail, name or password; not their role.
    @Sendable func updateMe(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let body = try await request.decodeBody(UpdateUserBody.self)
        if !body.role.isAbsent { throw APIError.forbidden("nobody may change their own role") }
        return try await apply(body, to: principal.userID, onMissing: .unauthenticated("the account of this credential no longer exists", invalidToken: true))
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let id = try context.id(of: "user")
        let user = try await services.withDatabase { db in
            try await AccessControl(connection: db).requireAdmin(principal)
            return try await UserStore(connection: db).find(id)
        }
        guard let user else { throw APIError.notFound("user") }
        return JSONResponse.encode(user)
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let id = try context.id(of: "user")
        try await services.withDatabase { try await AccessControl(connection: $0).requireAdmin(principal) }
        let body = try await request.decodeBody(UpdateUserBody.self)
        return try await apply(body, to: id, onMissing: .notFound("user"))
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let id = try context.id(of: "user")
        let deleted = try await services.withDatabase { db in
            try await AccessControl(connection: db).requireAdmin(principal)
            return try await UserStore(connection: db).delete(id)
        }
        guard deleted else { throw APIError.notFound("user") }
        return JSONResponse.noContent()
    }

    /// The houses the user is linked to now, each with the user's role there.
    @Sendable func houses(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let id = try context.id(of: "user")
        let page = try Pagination(request, configuration: services.configuration)
        let houses = try await services.withDatabase { db in
            let caller = try await AccessControl(connection: db).requireSelfOrAdmin(principal, user: id)
            if caller.userID != id, try await UserStore(connection: db).find(id) == nil { throw APIError.notFound("user") }
            return try await HouseStore(connection: db).houses(ofUser: id, page)
        }
        return JSONResponse.encode(page.page(houses))
    }

    /// The appliances in the user's houses, with house and role. A user
    /// asking about themselves sees the houses they own; residents do not
    /// manage appliances. Administrators see every linked house.
    @Sendable func appliances(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let id = try context.id(of: "user")
        let page = try Pagination(request, configuration: services.configuration)
        let appliances = try await services.withDatabase { db in
            let caller = try await AccessControl(connection: db).requireSelfOrAdmin(principal, user: id)
            if caller.userID != id, try await UserStore(connection: db).find(id) == nil { throw APIError.notFound("user") }
            return try await ApplianceStore(connection: db).appliances(ofUser: id, ownedOnly: caller.role != .admin, page)
        }
        return JSONResponse.encode(page.page(appliances))
    }

    /// Hashes a new password (if any) before taking a connection, since
    /// bcrypt takes long and the pool is small.
    private func apply(_ body: UpdateUserBody, to id: Int, onMissing: APIError) async throws -> Response {
        var hash: String?
        if let password = body.password.value { hash = try await services.passwords.hash(password) }
        let user = try await services.withDatabase { db in
            try await UserStore(connection: db).update(id, email: body.email.value, name: body.name.value, passwordHash: hash, role: body.role.value)
        }
        guard let user else { throw onMissing }
        return JSONResponse.encode(user)
    }
}
