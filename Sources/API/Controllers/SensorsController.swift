import Hummingbird
import Postgres

/// `/sensors`: the sensors in houses, managed by the houses' owners and
/// administrators. A sensor belongs to a house and optionally to one of
/// that house's appliances.
struct SensorsController {
    let services: APIServices

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("sensors", use: list)
        group.post("sensors", use: create)
        group.get("sensors/{id}", use: show)
        group.patch("sensors/{id}", use: update)
        group.delete("sensors/{id}", use: delete)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let page = try Pagination(request, configuration: services.configuration)
        let sensors = try await services.withDatabase { db in
            let caller = try await AccessControl(connection: db).caller(principal)
            return try await SensorStore(connection: db).list(visibleTo: caller, page)
        }
        return JSONResponse.encode(page.page(sensors))
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let body = try await request.decodeBody(CreateSensorBody.self)
        let sensor = try await services.withDatabase { db in
            try await AccessControl(connection: db).manageReferenced(house: body.houseID, for: principal)
            return try await SensorStore(connection: db).create(body)
        }
        return JSONResponse.created(sensor, location: "/sensors/\(sensor.id)")
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let id = try context.id(of: "sensor")
        let sensor = try await services.withDatabase { db in try await managed(id, for: principal, db) }
        return JSONResponse.encode(sensor)
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let id = try context.id(of: "sensor")
        _ = try await services.withDatabase { db in try await managed(id, for: principal, db) }
        let body = try await request.decodeBody(UpdateSensorBody.self)
        let sensor = try await services.withDatabase { db in try await SensorStore(connection: db).update(id, body) }
        guard let sensor else { throw APIError.notFound("sensor") }
        return JSONResponse.encode(sensor)
    }

    /// Deletes the sensor, its alarms and history, and its latest reading.
    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let id = try context.id(of: "sensor")
        let house: Int? = try await services.withDatabase { db in
            let sensor = try await managed(id, for: principal, db)
            return try await SensorStore(connection: db).delete(id) ? sensor.houseID : nil
        }
        guard let house else { throw APIError.notFound("sensor") }
        await services.forgetLatestReadings(house: house, sensors: [id], logger: context.logger)
        return JSONResponse.noContent()
    }

    /// The sensor if the caller manages its house; 404 if it does not exist
    /// or sits in a house the caller is not linked to, 403 for residents.
    private func managed(_ id: Int, for principal: Principal, _ db: PostgresConnection) async throws -> Sensor {
        guard let sensor = try await SensorStore(connection: db).find(id) else {
            _ = try await AccessControl(connection: db).caller(principal)
            throw APIError.notFound("sensor")
        }
        try await AccessControl(connection: db).manage(sensor.houseID, for: principal, resource: "sensor")
        return sensor
    }
}
