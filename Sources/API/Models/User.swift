import Foundation
import Postgres

/// A user as the API shows it. The password hash never leaves the database
/// layer: no response type has a field for it.
struct User: Encodable, Sendable {
    var id: Int
    var email: String
    var name: String
    var role: UserRole
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, email, name, role
        case createdAt = "created_at"
    }


    init(row: PostgresRow) throws {
        id = try row.decode(Int.self, column: 0)
        email = try row.decode(String.self, column: 1)
        name = try row.decode(String.self, column: 2)
        role = UserRole(rawValue: try row.decode(String.self, column: 3)) ?? .user
        createdAt = try row.decode(Date.self, column: 4)
    }
}

/// `POST /users`: an administrator creates an account.
struct CreateUserBody: RequestBody {
    var email: String
    var password: String
    var name: String?
    var role: UserRole?

    static let fieldNames: Set<String> = ["email", "password", "name", "role"]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        email = try Validate.email(try container.decode(String.self, forKey: "email"))
        password = try Validate.password(try container.decode(String.self, forKey: "password"))
        name = try container.decodeIfPresent(String.self, forKey: "name").map { text throws(APIError) in try Validate.text(text, field: "name", allowEmpty: true) }
        role = try container.decodeEnumIfPresent(UserRole.self, forKey: "role")
    }
}

/// `PATCH /users/{id}` (administrators: every field) and `PATCH /users/me`
/// (the caller: `name` and `password` only).
struct UpdateUserBody: RequestBody {
    var email: PatchValue<String>
    var password: PatchValue<String>
    var name: PatchValue<String>
    var role: PatchValue<UserRole>

    static let fieldNames: Set<String> = ["email", "password", "name", "role"]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        email = try container.patchRequired(String.self, forKey: "email").validated { v throws(APIError) in try Validate.email(v) }
        password = try container.patchRequired(String.self, forKey: "password").validated { v throws(APIError) in try Validate.password(v) }
        name = try container.patchRequired(String.self, forKey: "name").validated { v throws(APIError) in try Validate.text(v, field: "name", allowEmpty: true) }
        role = try container.patchRequiredEnum(UserRole.self, forKey: "role")
        if email.isAbsent && password.isAbsent && name.isAbsent && role.isAbsent {
            throw APIError.invalid("body", "an empty PATCH changes nothing; give at least one of email, name, password, role")
        }
    }
}
