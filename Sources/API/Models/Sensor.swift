import Foundation
import Postgres
import SensorCatalog

/// A sensor in a house, optionally on one of its appliances.
struct Sensor: Encodable, Sendable {
    var id: Int
    var houseID: Int
    var applianceID: Int?
    var kind: String
    var name: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case houseID = "house_id"
        case applianceID = "appliance_id"
        case kind, name
        case createdAt = "created_at"
    }

    init(row: PostgresRow) throws {
        id = try row.decode(Int.self, column: 0)
        houseID = try row.decode(Int.self, column: 1)
        applianceID = try row.decode(Int?.self, column: 2)
        kind = try row.decode(String.self, column: 3)
        name = try row.decode(String.self, column: 4)
        createdAt = try row.decode(Date.self, column: 5)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(houseID, forKey: .houseID)
        // Present as null rather than missing: a sensor on no appliance.
        try container.encode(applianceID, forKey: .applianceID)
        try container.encode(kind, forKey: .kind)
        try container.encode(name, forKey: .name)
        try container.encode(createdAt, forKey: .createdAt)
    }
}

/// The sensor kinds a body may name: those the catalogue can decode, so
/// every sensor the API creates can show its data.
enum SensorKinds {
    static func validate(_ kind: String, catalog: SensorCatalog = .builtIn) throws(APIError) -> String {
        guard catalog.kinds.contains(where: { $0.rawValue == kind }) else {
            throw .invalid("kind", "must be one of \(catalog.kinds.map(\.rawValue).joined(separator: ", "))")
        }
        return kind
    }
}

/// `POST /sensors`.
struct CreateSensorBody: RequestBody {
    var houseID: Int
    var applianceID: Int?
    var kind: String
    var name: String

    static let fieldNames: Set<String> = ["house_id", "appliance_id", "kind", "name"]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        houseID = try Validate.id(try container.decode(Int.self, forKey: "house_id"), field: "house_id")
        applianceID = try container.decodeIfPresent(Int.self, forKey: "appliance_id").map { v throws(APIError) in try Validate.id(v, field: "appliance_id") }
        kind = try SensorKinds.validate(try container.decode(String.self, forKey: "kind"))
        name = try Validate.text(try container.decode(String.self, forKey: "name"), field: "name")
    }
}

/// `PATCH /sensors/{id}`; `"appliance_id": null` takes it off its appliance.
struct UpdateSensorBody: RequestBody {
    var applianceID: PatchValue<Int>
    var kind: PatchValue<String>
    var name: PatchValue<String>

    static let fieldNames: Set<String> = ["appliance_id", "kind", "name"]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        applianceID = try container.patch(Int.self, forKey: "appliance_id").validated { v throws(APIError) in try Validate.id(v, field: "appliance_id") }
        kind = try container.patchRequired(String.self, forKey: "kind").validated { v throws(APIError) in try SensorKinds.validate(v) }
        name = try container.patchRequired(String.self, forKey: "name").validated { v throws(APIError) in try Validate.text(v, field: "name") }
        if applianceID.isAbsent && kind.isAbsent && name.isAbsent {
            throw APIError.invalid("body", "an empty PATCH changes nothing; give at least one of appliance_id, kind, name")
        }
    }
}
