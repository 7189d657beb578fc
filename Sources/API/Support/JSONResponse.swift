import Foundation
import Hummingbird

/// Builds JSON responses. One encoder for the whole API, so dates and keys
/// look the same everywhere: RFC 3339 dates, snake_case keys spelled out in
/// each type's `CodingKeys`.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    static func encode(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        do {
            let data = try encoder.encode(value)
            return bytes(data, status: status, headers: headers)
        } catch {
            // Only a non-finite Double can fail here, and the API clamps
            // those before encoding; answer rather than crash if one slips by.
            return bytes(Data(#"{"error":{"code":"internal_error","message":"response could not be encoded"}}"#.utf8), status: .internalServerError)
        }
    }

    /// A hot route's body, written without Foundation (``JSONWritable``).
    static func write(_ value: some JSONWritable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        bytes(value.jsonBytes, status: status, headers: headers)
    }

    static func bytes(_ data: some Collection<UInt8>, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.contentLength] = String(data.count)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ error: APIError) -> Response {
        encode(ErrorBody(error: .init(code: error.code, message: error.message, field: error.field)), status: error.status, headers: error.headers)
    }

    /// 201 with `Location` pointing at the new resource.
    static func created(_ value: some Encodable, location: String) -> Response {
        encode(value, status: .created, headers: [.location: location])
    }

    /// 204 for a delete.
    static func noContent() -> Response {
        Response(status: .noContent)
    }
}
