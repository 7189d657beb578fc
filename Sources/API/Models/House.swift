import Foundation
import Postgres

/// A house as the API shows it.
struct House: Encodable, Sendable {
    var id: Int
    var name: String
    var address: String
    /// The user whose Fernet key encrypts the house's readings; null when
    /// that user was deleted.
    var ownerID: Int?
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, address
        case ownerID = "owner_id"
        case createdAt = "created_at"
    }

    init(row: PostgresRow) throws {
        id = try row.decode(Int.self, column: 0)
        name = try row.decode(String.self, column: 1)
        address = try row.decode(String.self, column: 2)
        ownerID = try row.decode(Int?.self, column: 3)
        createdAt = try row.decode(Date.self, column: 4)
    }

    /// Written out so that a missing owner reads `"owner_id": null`
    /// (synthesised encoding would drop the key).
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(address, forKey: .address)
        try container.encode(ownerID, forKey: .ownerID)
        try container.encode(createdAt, forKey: .createdAt)
    }
}

/// `GET /users/{id}/houses`: a house with the user's link to it.
struct UserHouse: Encodable, Sendable {
    var house: House
    var role: HouseRole
    var startDate: String
    var endDate: String?

    enum CodingKeys: String, CodingKey {
        case id, name, address
        case ownerID = "owner_id"
        case createdAt = "created_at"
        case role
        case startDate = "start_date"
        case endDate = "end_date"
    }

    init(row: PostgresRow) throws {
        house = try House(row: row)
        role = HouseRole(rawValue: try row.decode(String.self, column: 5)) ?? .resident
        startDate = try row.decode(String.self, column: 6)
        endDate = try row.decode(String?.self, column: 7)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(house.id, forKey: .id)
        try container.encode(house.name, forKey: .name)
        try container.encode(house.address, forKey: .address)
        try container.encode(house.ownerID, forKey: .ownerID)
        try container.encode(house.createdAt, forKey: .createdAt)
        try container.encode(role, forKey: .role)
        try container.encode(startDate, forKey: .startDate)
        try container.encode(endDate, forKey: .endDate)
    }
}

/// `POST /houses`.
struct CreateHouseBody: RequestBody {
    var name: String
    var address: String
    /// Administrators may name any user; others may only name themselves
    /// (or leave it out: the caller becomes the owner).
    var ownerID: Int?

    static let fieldNames: Set<String> = ["name", "address", "owner_id"]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        name = try Validate.text(try container.decode(String.self, forKey: "name"), field: "name")
        address = try Validate.text(try container.decodeIfPresent(String.self, forKey: "address") ?? "", field: "address", allowEmpty: true)
        ownerID = try container.decodeIfPresent(Int.self, forKey: "owner_id").map { v throws(APIError) in try Validate.id(v, field: "owner_id") }
    }
}

/// `PATCH /houses/{id}`.
struct UpdateHouseBody: RequestBody {
    var name: PatchValue<String>
    var address: PatchValue<String>
    var ownerID: PatchValue<Int>

    static let fieldNames: Set<String> = ["name", "address", "owner_id"]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        name = try container.patchRequired(String.self, forKey: "name").validated { v throws(APIError) in try Validate.text(v, field: "name") }
        address = try container.patchRequired(String.self, forKey: "address").validated { v throws(APIError) in try Validate.text(v, field: "address", allowEmpty: true) }
        ownerID = try container.patchRequired(Int.self, forKey: "owner_id").validated { v throws(APIError) in try Validate.id(v, field: "owner_id") }
        if name.isAbsent && address.isAbsent && ownerID.isAbsent {
            throw APIError.invalid("body", "an empty PATCH changes nothing; give at least one of name, address, owner_id")
        }
    }
}
