@testable import API
import Foundation
import Hummingbird
import Testing

/// The field checks and body decoding, without servers or HTTP.
@Suite("Validation")
struct ValidationTests {
    @Test("e-mail addresses", arguments: [
        ("alice@example.com", true), ("  bob@example.com ", true), ("o'brien@example.com", true),
        ("", false), ("no-at-sign", false), ("@example.com", false), ("alice@", false), ("a@b@c", false),
        ("with space@example.com", false), ("tab\t@example.com", false), (String(repeating: "a", count: 250) + "@x.io", false),
    ])
    func emails(_ text: String, valid: Bool) {
        #expect(((try? Validate.email(text)) != nil) == valid)
    }

    @Test("passwords: 8 characters to 72 bytes, no NUL", arguments: [
        ("12345678", true), ("1234567", false), (String(repeating: "é", count: 36), true), (String(repeating: "é", count: 37), false),
        ("pass\u{0}word", false),
    ])
    func passwords(_ text: String, valid: Bool) {
        #expect(((try? Validate.password(text)) != nil) == valid)
    }

    @Test("dates are real calendar days written YYYY-MM-DD", arguments: [
        ("2024-02-29", true), ("2023-02-29", false), ("2100-02-29", false), ("2000-02-29", true), ("2024-04-31", false),
        ("2024-13-01", false), ("2024-1-01", false), ("24-01-01", false), ("2024-01-01T00:00", false), ("2024-0a-01", false),
    ])
    func dates(_ text: String, valid: Bool) {
        #expect(((try? Validate.date(text, field: "start_date")) != nil) == valid)
    }

    @Test("free text is trimmed and bounded, and control characters are refused")
    func freeText() throws {
        #expect(try Validate.text("  Maple Cottage ", field: "name") == "Maple Cottage")
        #expect(throws: APIError.self) { try Validate.text("   ", field: "name") }
        #expect(try Validate.text("", field: "address", allowEmpty: true) == "")
        #expect(throws: APIError.self) { try Validate.text("bell\u{7}", field: "name") }
        #expect(throws: APIError.self) { try Validate.text(String(repeating: "x", count: 201), field: "name") }
    }

    @Test("a PATCH body keeps absent, null and a value apart")
    func patchValues() throws {
        let decode = { (json: String) throws -> UpdateSensorBody in try JSONDecoder().decode(UpdateSensorBody.self, from: Data(json.utf8)) }
        let cleared = try decode(#"{"appliance_id":null}"#)
        #expect(cleared.applianceID.assignment.write && cleared.applianceID.assignment.value == nil)
        #expect(cleared.name.isAbsent)
        let set = try decode(#"{"appliance_id":3,"name":" Hall "}"#)
        #expect(set.applianceID.value == 3)
        #expect(set.name.value == "Hall")
        #expect(throws: APIError.self) { try decode("{}") }
        #expect(throws: APIError.self) { try decode(#"{"name":null}"#) }
    }

    @Test("decoding errors name the field in snake_case")
    func decodingErrors() throws {
        do {
            _ = try JSONDecoder().decode(CreateApplianceBody.self, from: Data(#"{"house_id":"one","name":"x"}"#.utf8))
            Issue.record("a string house_id decoded")
        } catch let error as DecodingError {
            let mapped = Request.validationError(error)
            #expect(mapped.field == "house_id")
            #expect(mapped.status == .unprocessableContent)
        }
    }

    @Test("a token's claims survive a round trip; its role is the one issued")
    func tokenRoundTrip() async throws {
        let issuer = await TokenIssuer(secret: Array(repeating: 7, count: 32), lifetime: .seconds(60))
        let token = try await issuer.issue(for: Principal(userID: 42, role: .admin))
        #expect(token.expiresIn == 60)
        #expect(try await issuer.verify(token.accessToken) == Principal(userID: 42, role: .admin))
        let expired = try await issuer.issue(for: Principal(userID: 42, role: .user), now: Date().addingTimeInterval(-61))
        await #expect(throws: APIError.self) { try await issuer.verify(expired.accessToken) }
    }
}
