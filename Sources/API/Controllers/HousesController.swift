import Hummingbird
import Logging
import RedisNIO

/// `/houses`: houses, and the appliances and sensors listed per house.
///
/// Anyone logged in may create a house and becomes its owner. A house that
/// the caller is not linked to does not exist for them: every route answers
/// 404 for it, exactly as for an id that was never used.
struct HousesController {
    let services: APIServices

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("houses", use: list)
        group.post("houses", use: create)
        group.get("houses/{id}", use: show)
        group.patch("houses/{id}", use: update)
        group.delete("houses/{id}", use: delete)
        group.get("houses/{id}/appliances", use: appliances)
        group.get("houses/{id}/sensors", use: sensors)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let page = try Pagination(request, configuration: services.configuration)
        let houses = try await services.withDatabase { db in
            let caller = try await AccessControl(connection: db).caller(principal)
            return try await HouseStore(connection: db).list(visibleTo: caller, page)
        }
        return JSONResponse.encode(page.page(houses))
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let body = try await request.decodeBody(CreateHouseBody.self)
        let house = try await services.withDatabase { db in
            let caller = try await AccessControl(connection: db).caller(principal)
            let owner = body.ownerID ?? (caller.role == .admin ? nil : caller.userID)
            if caller.role != .admin && owner != caller.userID {
                throw APIError.forbidden("only an administrator may create a house for another owner")
            }
            return try await HouseStore(connection: db).create(name: body.name, address: body.address, ownerID: owner)
        }
        return JSONResponse.created(house, location: "/houses/\(house.id)")
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let id = try context.id(of: "house")
        let house = try await services.withDatabase { db in
            try await AccessControl(connection: db).house(id, for: principal)
            return try await HouseStore(connection: db).find(id)
        }
        guard let house else { throw APIError.notFound("house") }
        return JSONResponse.encode(house)
    }

    /// Owners and administrators; a new `owner_id` makes that user the key
    /// owner and links them as an owner.
    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let id = try context.id(of: "house")
        try await services.withDatabase { try await AccessControl(connection: $0).manage(id, for: principal) }
        let body = try await request.decodeBody(UpdateHouseBody.self)
        let house = try await services.withDatabase { db in
            try await HouseStore(connection: db).update(id, name: body.name.value, address: body.address.value, ownerID: body.ownerID.value)
        }
        guard let house else { throw APIError.notFound("house") }
        return JSONResponse.encode(house)
    }

    /// Deletes the house with its appliances, sensors, links and alarms,
    /// and drops the sensors' latest readings from Redis.
    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let id = try context.id(of: "house")
        let sensors = try await services.withDatabase { db in
            try await AccessControl(connection: db).manage(id, for: principal)
            return try await HouseStore(connection: db).delete(id)
        }
        guard let sensors else { throw APIError.notFound("house") }
        await services.forgetLatestReadings(house: id, sensors: sensors, logger: context.logger)
        return JSONResponse.noContent()
    }

    @Sendable func appliances(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let id = try context.id(of: "house")
        let page = try Pagination(request, configuration: services.configuration)
        let appliances = try await services.withDatabase { db in
            try await AccessControl(connection: db).manage(id, for: principal)
            return try await ApplianceStore(connection: db).list(house: id, page)
        }
        return JSONResponse.encode(page.page(appliances))
    }

    @Sendable func sensors(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let id = try context.id(of: "house")
        let page = try Pagination(request, configuration: services.configuration)
        let sensors = try await services.withDatabase { db in
            try await AccessControl(connection: db).manage(id, for: principal)
            return try await SensorStore(connection: db).list(house: id, page)
        }
        return JSONResponse.encode(page.page(sensors))
    }
}

extension APIServices {
    /// Deletes the latest-reading keys of sensors that no longer exist. Best
    /// effort: the keys expire by their TTL anyway, so a Redis hiccup here
    /// is logged, not returned to a client whose delete did succeed.
    func forgetLatestReadings(house: Int, sensors: [Int], logger: Logger) async {
        guard !sensors.isEmpty else { return }
        do {
            try await redis.connection().del(sensors.map { LatestReadings.key(house: house, sensor: $0) })
        } catch {
            logger.warning("could not delete latest readings of removed sensors", metadata: ["house_id": "\(house)", "error": "\(error)"])
        }
    }
}
