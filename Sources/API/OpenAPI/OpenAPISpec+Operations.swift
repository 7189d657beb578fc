extension OpenAPISpec {
    /// Every operation of the API. `APITests` checks this list against the
    /// router in both directions.
    static let operations: [APIOperation] = system + users + houses + members + dataAndAlarms + live + appliances + sensors

    private static let page = ["limit", "offset"]

    private static let system: [APIOperation] = [
        APIOperation(method: "get", path: "/healthz", tag: "system", summary: "Liveness: the process answers.", access: .open,
                     success: (200, "Alive.", ["type": "object", "properties": ["status": ["const": "ok"]]])),
        APIOperation(method: "get", path: "/readyz", tag: "system", summary: "Readiness: PostgreSQL, Redis and MQTT answer.", access: .open,
                     success: (200, "Ready.", ref("Readiness")), errors: [503]),
        APIOperation(method: "get", path: "/metrics", tag: "system", summary: "Prometheus metrics (text format 0.0.4).", access: .open,
                     success: (200, "Metrics in Prometheus text format.", nil)),
        APIOperation(method: "get", path: "/openapi.json", tag: "system", summary: "This document.", access: .open,
                     success: (200, "The OpenAPI document.", ["type": "object"])),
        APIOperation(method: "post", path: "/auth/token", tag: "auth",
                     summary: "Trade an e-mail and password for a JWT. Also accepts application/x-www-form-urlencoded username and password.",
                     access: .open, body: "TokenRequest", success: (200, "A bearer token.", ref("Token")), errors: [401]),
    ]

    private static let users: [APIOperation] = [
        APIOperation(method: "get", path: "/users", tag: "users", summary: "List users (administrators).", query: page,
                     success: (200, "A page of users.", ref("UserPage")), errors: [403, 422]),
        APIOperation(method: "post", path: "/users", tag: "users", summary: "Create a user (administrators).", body: "UserCreate",
                     success: (201, "Created.", ref("User")), errors: [403, 409]),
        APIOperation(method: "get", path: "/users/me", tag: "users", summary: "The caller's account.",
                     success: (200, "The caller.", ref("User"))),
        APIOperation(method: "patch", path: "/users/me", tag: "users", summary: "Change the caller's e-mail, name or password (not role).",
                     body: "UserUpdate", success: (200, "Updated.", ref("User")), errors: [403, 409]),
        APIOperation(method: "get", path: "/users/{id}", tag: "users", summary: "A user (administrators).",
                     success: (200, "The user.", ref("User")), errors: [403, 404]),
        APIOperation(method: "patch", path: "/users/{id}", tag: "users", summary: "Change a user (administrators).", body: "UserUpdate",
                     success: (200, "Updated.", ref("User")), errors: [403, 404, 409]),
        APIOperation(method: "delete", path: "/users/{id}", tag: "users", summary: "Delete a user and their house links (administrators).",
                     success: (204, "Deleted.", nil), errors: [403, 404, 409]),
        APIOperation(method: "get", path: "/users/{id}/houses", tag: "users",
                     summary: "The houses the user is linked to now, with the user's role and dates (the user or administrators).",
                     query: page, success: (200, "A page of houses.", ref("UserHousePage")), errors: [403, 404, 422]),
        APIOperation(method: "get", path: "/users/{id}/appliances", tag: "users",
                     summary: "The appliances across the user's houses, with house and role (the user: houses they own; administrators: all).",
                     query: page, success: (200, "A page of appliances.", ref("UserAppliancePage")), errors: [403, 404, 422]),
    ]

    private static let houses: [APIOperation] = [
        APIOperation(method: "get", path: "/houses", tag: "houses", summary: "The houses the caller is linked to (administrators: all).",
                     query: page, success: (200, "A page of houses.", ref("HousePage")), errors: [422]),
        APIOperation(method: "post", path: "/houses", tag: "houses",
                     summary: "Create a house; the caller becomes its owner (administrators may name owner_id).",
                     body: "HouseCreate", success: (201, "Created.", ref("House")), errors: [403]),
        APIOperation(method: "get", path: "/houses/{id}", tag: "houses", summary: "A house the caller is linked to.",
                     success: (200, "The house.", ref("House")), errors: [404]),
        APIOperation(method: "patch", path: "/houses/{id}", tag: "houses", summary: "Change a house (owners).", body: "HouseUpdate",
                     success: (200, "Updated.", ref("House")), errors: [403, 404]),
        APIOperation(method: "delete", path: "/houses/{id}", tag: "houses",
                     summary: "Delete a house with its appliances, sensors, links, alarms and latest readings (owners).",
                     success: (204, "Deleted.", nil), errors: [403, 404]),
        APIOperation(method: "get", path: "/houses/{id}/appliances", tag: "houses", summary: "The house's appliances (owners).",
                     query: page, success: (200, "A page of appliances.", ref("AppliancePage")), errors: [403, 404, 422]),
        APIOperation(method: "get", path: "/houses/{id}/sensors", tag: "houses", summary: "The house's sensors (owners).",
                     query: page, success: (200, "A page of sensors.", ref("SensorPage")), errors: [403, 404, 422]),
    ]

    private static let members: [APIOperation] = [
        APIOperation(method: "get", path: "/houses/{id}/users", tag: "house members", summary: "The house's members, past and present (owners).",
                     query: page, success: (200, "A page of members.", ref("HouseMemberPage")), errors: [403, 404, 422]),
        APIOperation(method: "post", path: "/houses/{id}/users", tag: "house members", summary: "Link a user, by user_id or email (owners).",
                     body: "HouseMemberCreate", success: (201, "Linked.", ref("HouseMember")), errors: [403, 404, 409]),
        APIOperation(method: "get", path: "/houses/{id}/users/{user_id}", tag: "house members", summary: "One member's link (owners).",
                     success: (200, "The link.", ref("HouseMember")), errors: [403, 404]),
        APIOperation(method: "patch", path: "/houses/{id}/users/{user_id}", tag: "house members",
                     summary: "Change a link's role or dates; end_date null reopens it (owners).", body: "HouseMemberUpdate",
                     success: (200, "Updated.", ref("HouseMember")), errors: [403, 404]),
        APIOperation(method: "delete", path: "/houses/{id}/users/{user_id}", tag: "house members", summary: "Unlink a user (owners).",
                     success: (204, "Unlinked.", nil), errors: [403, 404]),
    ]

    private static let dataAndAlarms: [APIOperation] = [
        APIOperation(method: "get", path: "/houses/{id}/data", tag: "data and alarms",
                     summary: "The latest reading of every sensor, decrypted, each fresh, stale, missing or unreadable (members).",
                     success: (200, "The house's latest data.", ref("HouseData")), errors: [404]),
        APIOperation(method: "get", path: "/houses/{id}/alarms", tag: "data and alarms",
                     summary: "Alarm transitions, newest first; state=active for alarms raised and not cleared (members).",
                     query: page + ["state"], success: (200, "A page of alarms.", ref("AlarmPage")), errors: [404, 422]),
        APIOperation(method: "post", path: "/houses/{id}/alarms/{alarm_id}/acknowledge", tag: "data and alarms",
                     summary: "Acknowledge a raised alarm; acknowledging again keeps the first (owners).",
                     success: (200, "The acknowledged alarm.", ref("Alarm")), errors: [403, 404, 409]),
    ]

    private static let live: [APIOperation] = [
        APIOperation(method: "post", path: "/events/ticket", tag: "live dashboard",
                     summary: "A single-use ticket, valid 30 s, that opens one event stream as the caller.",
                     success: (200, "The ticket.", ref("EventTicket"))),
        APIOperation(method: "get", path: "/houses/{id}/events", tag: "live dashboard",
                     summary: "Server-sent events (text/event-stream) of the house: sensors (changed tiles), alarms (active and recent), gone, denied (members).",
                     access: .open, query: ["ticket"], success: (200, "An event stream.", nil), errors: [401, 404, 503]),
        APIOperation(method: "get", path: "/run", tag: "live dashboard", summary: "The latest figures of the load run in progress, if any.",
                     success: (200, "The run's status.", ref("RunStatus"))),
        APIOperation(method: "get", path: "/run/events", tag: "live dashboard",
                     summary: "Server-sent events (text/event-stream) of the load run: progress each second; idle before the first; none (and the end) when no run shares this server.",
                     access: .open, query: ["ticket"], success: (200, "An event stream.", nil), errors: [401, 503]),
    ]

    private static let appliances: [APIOperation] = [
        APIOperation(method: "get", path: "/appliances", tag: "appliances", summary: "Appliances in houses the caller owns (administrators: all).",
                     query: page, success: (200, "A page of appliances.", ref("AppliancePage")), errors: [422]),
        APIOperation(method: "post", path: "/appliances", tag: "appliances", summary: "Add an appliance to a house (owners).", body: "ApplianceCreate",
                     success: (201, "Created.", ref("Appliance")), errors: [403]),
        APIOperation(method: "get", path: "/appliances/{id}", tag: "appliances", summary: "An appliance (owners).",
                     success: (200, "The appliance.", ref("Appliance")), errors: [403, 404]),
        APIOperation(method: "patch", path: "/appliances/{id}", tag: "appliances", summary: "Change an appliance (owners).", body: "ApplianceUpdate",
                     success: (200, "Updated.", ref("Appliance")), errors: [403, 404]),
        APIOperation(method: "delete", path: "/appliances/{id}", tag: "appliances",
                     summary: "Delete an appliance; its sensors stay, on no appliance (owners).",
                     success: (204, "Deleted.", nil), errors: [403, 404]),
    ]

    private static let sensors: [APIOperation] = [
        APIOperation(method: "get", path: "/sensors", tag: "sensors", summary: "Sensors in houses the caller owns (administrators: all).",
                     query: page, success: (200, "A page of sensors.", ref("SensorPage")), errors: [422]),
        APIOperation(method: "post", path: "/sensors", tag: "sensors", summary: "Add a sensor to a house, optionally on one of its appliances (owners).",
                     body: "SensorCreate", success: (201, "Created.", ref("Sensor")), errors: [403]),
        APIOperation(method: "get", path: "/sensors/{id}", tag: "sensors", summary: "A sensor (owners).",
                     success: (200, "The sensor.", ref("Sensor")), errors: [403, 404]),
        APIOperation(method: "patch", path: "/sensors/{id}", tag: "sensors", summary: "Change a sensor; appliance_id null takes it off its appliance (owners).",
                     body: "SensorUpdate", success: (200, "Updated.", ref("Sensor")), errors: [403, 404]),
        APIOperation(method: "delete", path: "/sensors/{id}", tag: "sensors", summary: "Delete a sensor, its alarms and its latest reading (owners).",
                     success: (204, "Deleted.", nil), errors: [403, 404]),
    ]
}
