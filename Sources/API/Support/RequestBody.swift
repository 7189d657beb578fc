import Foundation
import Hummingbird

/// A JSON request body that the API accepts: its field names, so unknown
/// ones are refused rather than silently dropped (a typo in `end_date` must
/// not look like success), and its own checks beyond types.
protocol RequestBody: Decodable, Sendable {
    /// Every field name the body may carry, as spelled on the wire.
    static var fieldNames: Set<String> { get }
    /// Checks that types alone cannot express; throws a 422 naming the field.
    func validate() throws(APIError)
}

extension RequestBody {
    func validate() throws(APIError) {}
}

extension Request {
    /// The largest body the API reads; every resource is a handful of short
    /// fields, so anything bigger is a mistake or an attack.
    static let maxBodyBytes = 64 * 1024

    /// Reads and decodes a JSON body, answering 400 for something that is
    /// not a JSON object and 422, naming the field, for a missing, unknown,
    /// mistyped or invalid field.
    func decodeBody<Body: RequestBody>(_ type: Body.Type) async throws -> Body {
        let buffer = try await body.collect(upTo: Self.maxBodyBytes)
        let data = Data(buffer: buffer)
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw APIError.badRequest("the body must be JSON")
        }
        guard let fields = object as? [String: Any] else {
            throw APIError.badRequest("the body must be a JSON object")
        }
        if let unknown = fields.keys.sorted().first(where: { !Body.fieldNames.contains($0) }) {
            throw APIError.invalid(unknown, "is not a field of this resource; expected one of \(Body.fieldNames.sorted().joined(separator: ", "))")
        }
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: data)
        } catch let error as APIError {
            throw error
        } catch let error as DecodingError {
            throw Self.validationError(error)
        }
        try body.validate()
        return body
    }

    /// A `DecodingError` as a 422 that names the field in snake_case, the
    /// way the client wrote it.
    static func validationError(_ error: DecodingError) -> APIError {
        func path(_ codingPath: [any CodingKey]) -> String? {
            codingPath.isEmpty ? nil : codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .invalid(path(context.codingPath + [key]) ?? key.stringValue, "is required")
        case .valueNotFound(_, let context):
            return .invalid(path(context.codingPath) ?? "body", "must not be null")
        case .typeMismatch(let type, let context):
            return .invalid(path(context.codingPath) ?? "body", "must be \(JSONTypeName.of(type))")
        case .dataCorrupted(let context):
            return .invalid(path(context.codingPath) ?? "body", context.debugDescription)
        @unknown default:
            return .invalid("body", "could not be read")
        }
    }
}

/// How a Swift type reads in an error message about JSON.
enum JSONTypeName {
    static func of(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is String?.Type: "a string"
        case is Int.Type, is Int?.Type, is Int64.Type: "an integer"
        case is Bool.Type, is Bool?.Type: "true or false"
        case is Double.Type, is Double?.Type: "a number"
        default: "a value of another type"
        }
    }
}
