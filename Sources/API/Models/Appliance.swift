import Foundation
import Postgres

/// An appliance in a house.
struct Appliance: Encodable, Sendable {
    var id: Int
    var houseID: Int
    var name: String
    var type: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case houseID = "house_id"
        case name, type
        case createdAt = "created_at"
    }

    init(row: PostgresRow) throws {
        id = try row.decode(Int.self, column: 0)
        houseID = try row.decode(Int.self, column: 1)
        name = try row.decode(String.self, column: 2)
        type = try row.decode(String.self, column: 3)
        createdAt = try row.decode(Date.self, column: 4)
    }
}

/// `GET /users/{id}/appliances`: an appliance with its house and the
/// user's role there (the original system's second example query).
struct UserAppliance: Encodable, Sendable {
    var appliance: Appliance
    var houseName: String
    var houseAddress: String
    var role: HouseRole

    enum CodingKeys: String, CodingKey {
        case id
        case houseID = "house_id"
        case name, type
        case createdAt = "created_at"
        case houseName = "house_name"
        case houseAddress = "house_address"
        case role
    }

    init(row: PostgresRow) throws {
        appliance = try Appliance(row: row)
        houseName = try row.decode(String.self, column: 5)
        houseAddress = try row.decode(String.self, column: 6)
        role = HouseRole(rawValue: try row.decode(String.self, column: 7)) ?? .resident
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(appliance.id, forKey: .id)
        try container.encode(appliance.houseID, forKey: .houseID)
        try container.encode(appliance.name, forKey: .name)
        try container.encode(appliance.type, forKey: .type)
        try container.encode(appliance.createdAt, forKey: .createdAt)
        try container.encode(houseName, forKey: .houseName)
        try container.encode(houseAddress, forKey: .houseAddress)
        try container.encode(role, forKey: .role)
    }
}

/// `POST /appliances`.
struct CreateApplianceBody: RequestBody {
    var houseID: Int
    var name: String
    var type: String

    static let fieldNames: Set<String> = ["house_id", "name", "type"]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        houseID = try Validate.id(try container.decode(Int.self, forKey: "house_id"), field: "house_id")
        name = try Validate.text(try container.decode(String.self, forKey: "name"), field: "name")
        type = try Validate.text(try container.decodeIfPresent(String.self, forKey: "type") ?? "", field: "type", allowEmpty: true)
    }
}

/// `PATCH /appliances/{id}`. An appliance stays in its house: its sensors
/// are tied to the same house, so moving it is deleting and re-creating.
struct UpdateApplianceBody: RequestBody {
    var name: PatchValue<String>
    var type: PatchValue<String>

    static let fieldNames: Set<String> = ["name", "type"]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        name = try container.patchRequired(String.self, forKey: "name").validated { v throws(APIError) in try Validate.text(v, field: "name") }
        type = try container.patchRequired(String.self, forKey: "type").validated { v throws(APIError) in try Validate.text(v, field: "type", allowEmpty: true) }
        if name.isAbsent && type.isAbsent {
            throw APIError.invalid("body", "an empty PATCH changes nothing; give at least one of name, type")
        }
    }
}
