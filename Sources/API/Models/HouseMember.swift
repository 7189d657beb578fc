import Postgres

/// A user's link to a house (`house_users`), with who the user is.
struct HouseMember: Encodable, Sendable {
    var userID: Int
    var email: String
    var name: String
    var role: HouseRole
    var startDate: String
    var endDate: String?
    /// Whether the link counts today (between its start and end dates).
    var active: Bool

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case email, name, role
        case startDate = "start_date"
        case endDate = "end_date"
        case active
    }

    init(row: PostgresRow) throws {
        userID = try row.decode(Int.self, column: 0)
        email = try row.decode(String.self, column: 1)
        name = try row.decode(String.self, column: 2)
        role = HouseRole(rawValue: try row.decode(String.self, column: 3)) ?? .resident
        startDate = try row.decode(String.self, column: 4)
        endDate = try row.decode(String?.self, column: 5)
        active = try row.decode(Bool.self, column: 6)
    }

    /// Written out so that an open link reads `"end_date": null`.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(userID, forKey: .userID)
        try container.encode(email, forKey: .email)
        try container.encode(name, forKey: .name)
        try container.encode(role, forKey: .role)
        try container.encode(startDate, forKey: .startDate)
        try container.encode(endDate, forKey: .endDate)
        try container.encode(active, forKey: .active)
    }
}

/// `POST /houses/{id}/users`: link a user, named by id or by e-mail (an
/// owner cannot list users, but knows whom they want to add).
struct AddMemberBody: RequestBody {
    enum Who: Sendable { case id(Int), email(String) }

    var who: Who
    var role: HouseRole
    var startDate: String?
    var endDate: String?

    static let fieldNames: Set<String> = ["user_id", "email", "role", "start_date", "end_date"]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        let id = try container.decodeIfPresent(Int.self, forKey: "user_id")
        let email = try container.decodeIfPresent(String.self, forKey: "email")
        switch (id, email) {
        case (let id?, nil): who = .id(try Validate.id(id, field: "user_id"))
        case (nil, let email?): who = .email(try Validate.email(email))
        case (nil, nil): throw APIError.invalid("user_id", "is required (or give email instead)")
        case (_?, _?): throw APIError.invalid("email", "give either user_id or email, not both")
        }
        role = try container.decodeEnumIfPresent(HouseRole.self, forKey: "role") ?? .resident
        startDate = try container.decodeIfPresent(String.self, forKey: "start_date").map { v throws(APIError) in try Validate.date(v, field: "start_date") }
        endDate = try container.decodeIfPresent(String.self, forKey: "end_date").map { v throws(APIError) in try Validate.date(v, field: "end_date") }
        if let startDate, let endDate, endDate < startDate {
            throw APIError.invalid("end_date", "must not be before start_date")
        }
    }
}

/// `PATCH /houses/{id}/users/{user_id}`; `"end_date": null` reopens a link.
struct UpdateMemberBody: RequestBody {
    var role: PatchValue<HouseRole>
    var startDate: PatchValue<String>
    var endDate: PatchValue<String>

    static let fieldNames: Set<String> = ["role", "start_date", "end_date"]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        role = try container.patchRequiredEnum(HouseRole.self, forKey: "role")
        startDate = try container.patchRequired(String.self, forKey: "start_date").validated { v throws(APIError) in try Validate.date(v, field: "start_date") }
        endDate = try container.patch(String.self, forKey: "end_date").validated { v throws(APIError) in try Validate.date(v, field: "end_date") }
        if role.isAbsent && startDate.isAbsent && endDate.isAbsent {
            throw APIError.invalid("body", "an empty PATCH changes nothing; give at least one of role, start_date, end_date")
        }
        if let start = startDate.value, let end = endDate.value, end < start {
            throw APIError.invalid("end_date", "must not be before start_date")
        }
    }
}
