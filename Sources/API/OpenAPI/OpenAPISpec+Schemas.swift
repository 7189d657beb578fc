extension OpenAPISpec {
    // MARK: Building blocks

    private static func object(_ properties: KeyValuePairs<String, JSONDocument>, required: [String] = [], closed: Bool = true) -> JSONDocument {
        var members: [(String, JSONDocument)] = [("type", "object"), ("properties", .object(properties.map { ($0.key, $0.value) }))]
        if !required.isEmpty { members.append(("required", .array(required.map { .string($0) }))) }
        if closed { members.append(("additionalProperties", false)) }
        return .object(members)
    }

    private static let id: JSONDocument = ["type": "integer", "minimum": 1]
    private static let nullableID: JSONDocument = ["type": ["integer", "null"], "minimum": 1]
    private static let text: JSONDocument = ["type": "string", "maxLength": 200]
    private static let email: JSONDocument = ["type": "string", "format": "email", "maxLength": 254]
    private static let password: JSONDocument = ["type": "string", "minLength": 8, "description": "8 characters to 72 bytes; never returned."]
    private static let dateTime: JSONDocument = ["type": "string", "format": "date-time"]
    private static let nullableDateTime: JSONDocument = ["type": ["string", "null"], "format": "date-time"]
    private static let date: JSONDocument = ["type": "string", "format": "date"]
    private static let nullableDate: JSONDocument = ["type": ["string", "null"], "format": "date"]
    private static let userRole: JSONDocument = ["type": "string", "enum": ["admin", "user"]]
    private static let houseRole: JSONDocument = ["type": "string", "enum": ["owner", "resident"]]
    private static let sensorKind: JSONDocument = ["type": "string", "enum": ["fire_co", "leak", "door_window", "thermostat", "motion", "garage"]]

    private static func page(of item: String) -> JSONDocument {
        object([
            "items": ["type": "array", "items": ref(item)],
            "limit": ["type": "integer"],
            "offset": ["type": "integer"],
            "next_offset": ["type": ["integer", "null"], "description": "Where the next page starts; null on the last page."],
        ], required: ["items", "limit", "offset", "next_offset"])
    }

    // MARK: Components

    static let sharedParameters: JSONDocument = [
        "limit": ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 500, "default": 50]],
        "offset": ["name": "offset", "in": "query", "schema": ["type": "integer", "minimum": 0, "default": 0]],
        "state": ["name": "state", "in": "query", "schema": ["type": "string", "enum": ["all", "active"], "default": "all"]],
        "ticket": ["name": "ticket", "in": "query", "required": true, "schema": ["type": "string"],
                   "description": "A single-use ticket from POST /events/ticket (EventSource cannot send an Authorization header)."],
    ]

    static let errorResponses: JSONDocument = {
        let described: [(Int, String)] = [
            (400, "The body is not JSON (or not a JSON object), or credentials were put in the URL."),
            (401, "Credentials missing or wrong; WWW-Authenticate names Bearer and Basic."),
            (403, "The caller is known but may not do this."),
            (404, "No such resource, or one in a house the caller is not linked to."),
            (409, "Conflicts with existing data (a duplicate e-mail or link, the last administrator)."),
            (422, "A field failed validation; error.field names it."),
            (500, "Internal error; error.id is logged on the server."),
            (503, "A server the API needs does not answer."),
        ]
        return .object(described.map { status, description in
            (String(status), ["description": .string(description), "content": ["application/json": ["schema": ref("Error")]]])
        })
    }()

    static let schemas: JSONDocument = [
        "Error": object([
            "error": object([
                "code": ["type": "string"], "message": ["type": "string"],
                "field": ["type": "string"], "id": ["type": "string"],
            ], required: ["code", "message"]),
        ], required: ["error"]),
        "TokenRequest": object(["username": email, "email": email, "password": ["type": "string"]], required: ["password"]),
        "Token": object(["access_token": ["type": "string"], "token_type": ["const": "bearer"], "expires_in": ["type": "integer"]],
                        required: ["access_token", "token_type", "expires_in"]),
        "Readiness": object([
            "status": ["type": "string", "enum": ["ready", "not_ready"]],
            "checks": ["type": "object", "additionalProperties": object(["status": ["type": "string"], "error": ["type": "string"]])],
        ], required: ["status", "checks"]),
        "User": object(["id": id, "email": email, "name": ["type": "string"], "role": userRole, "created_at": dateTime],
                       required: ["id", "email", "name", "role", "created_at"]),
        "UserCreate": object(["email": email, "password": password, "name": text, "role": userRole], required: ["email", "password"]),
        "UserUpdate": object(["email": email, "password": password, "name": text, "role": userRole]),
        "UserPage": page(of: "User"),
        "House": object(["id": id, "name": ["type": "string"], "address": ["type": "string"], "owner_id": nullableID, "created_at": dateTime],
                        required: ["id", "name", "address", "owner_id", "created_at"]),
        "HouseCreate": object(["name": text, "address": text, "owner_id": id], required: ["name"]),
        "HouseUpdate": object(["name": text, "address": text, "owner_id": id]),
        "HousePage": page(of: "House"),
        "UserHouse": object([
            "id": id, "name": ["type": "string"], "address": ["type": "string"], "owner_id": nullableID, "created_at": dateTime,
            "role": houseRole, "start_date": date, "end_date": nullableDate,
        ], required: ["id", "name", "address", "owner_id", "created_at", "role", "start_date", "end_date"]),
        "UserHousePage": page(of: "UserHouse"),
        "HouseMember": object([
            "user_id": id, "email": email, "name": ["type": "string"], "role": houseRole,
            "start_date": date, "end_date": nullableDate, "active": ["type": "boolean"],
        ], required: ["user_id", "email", "name", "role", "start_date", "end_date", "active"]),
        "HouseMemberCreate": object(["user_id": id, "email": email, "role": houseRole, "start_date": date, "end_date": date]),
        "HouseMemberUpdate": object(["role": houseRole, "start_date": date, "end_date": nullableDate]),
        "HouseMemberPage": page(of: "HouseMember"),
        "Appliance": object(["id": id, "house_id": id, "name": ["type": "string"], "type": ["type": "string"], "created_at": dateTime],
                            required: ["id", "house_id", "name", "type", "created_at"]),
        "ApplianceCreate": object(["house_id": id, "name": text, "type": text], required: ["house_id", "name"]),
        "ApplianceUpdate": object(["name": text, "type": text]),
        "AppliancePage": page(of: "Appliance"),
        "UserAppliance": object([
            "id": id, "house_id": id, "name": ["type": "string"], "type": ["type": "string"], "created_at": dateTime,
            "house_name": ["type": "string"], "house_address": ["type": "string"], "role": houseRole,
        ], required: ["id", "house_id", "name", "type", "created_at", "house_name", "house_address", "role"]),
        "UserAppliancePage": page(of: "UserAppliance"),
        "Sensor": object([
            "id": id, "house_id": id, "appliance_id": nullableID, "kind": ["type": "string"], "name": ["type": "string"], "created_at": dateTime,
        ], required: ["id", "house_id", "appliance_id", "kind", "name", "created_at"]),
        "SensorCreate": object(["house_id": id, "appliance_id": id, "kind": sensorKind, "name": text], required: ["house_id", "kind", "name"]),
        "SensorUpdate": object(["appliance_id": nullableID, "kind": sensorKind, "name": text]),
        "SensorPage": page(of: "Sensor"),
        "Alarm": object([
            "id": id, "house_id": id, "sensor_id": id, "kind": ["type": "string"], "alarm": ["type": "string"],
            "state": ["type": "string", "enum": ["raised", "cleared"]], "seq": ["type": "integer", "minimum": 0],
            "occurred_at": dateTime, "recorded_at": dateTime, "acknowledged_at": nullableDateTime, "acknowledged_by": nullableID,
        ], required: ["id", "house_id", "sensor_id", "kind", "alarm", "state", "seq", "occurred_at", "recorded_at", "acknowledged_at", "acknowledged_by"]),
        "AlarmPage": page(of: "Alarm"),
        "HouseData": object(["house_id": id, "read_at": dateTime, "sensors": ["type": "array", "items": ref("SensorData")]],
                            required: ["house_id", "read_at", "sensors"]),
        "SensorData": object([
            "sensor_id": id, "name": ["type": "string"], "kind": ["type": "string"], "appliance_id": id,
            "status": ["type": "string", "enum": ["fresh", "stale", "missing", "unreadable"]],
            "stale_after_seconds": ["type": "number"],
            "timestamp": dateTime, "age_seconds": ["type": "number"], "seq": ["type": "integer", "minimum": 0],
            "values": ["type": "object", "additionalProperties": ["type": ["number", "string", "null"]]],
            "units": ["type": "object", "additionalProperties": ["type": "string"]],
            "alarms": ["type": "array", "items": ["type": "string"]],
            "reason": ["type": "string", "description": "Why an entry is unreadable."],
        ], required: ["sensor_id", "name", "kind", "status", "stale_after_seconds"]),
        "EventTicket": object(["ticket": ["type": "string"], "expires_in": ["type": "integer"]], required: ["ticket", "expires_in"]),
        "RunStatus": object([
            "in_progress": ["type": "boolean"],
            "snapshot": ["oneOf": [["type": "null"], object([
                "scenario": ["type": "string"], "stage": ["type": "string"],
                "elapsed_seconds": ["type": "number"], "remaining_seconds": ["type": "number"],
                "sent_per_second": ["type": "number"], "target_per_second": ["type": "number"],
                "p99_milliseconds": ["type": ["number", "null"]],
                "redis_used_bytes": ["type": "integer"], "redis_max_bytes": ["type": "integer"],
                "evicted_keys": ["type": "integer"], "outstanding_readings": ["type": "integer"],
                "alarms": ["type": "integer"], "max_lag_milliseconds": ["type": "number"], "finished": ["type": "boolean"],
            ])]],
        ], required: ["in_progress", "snapshot"]),
    ]
}
