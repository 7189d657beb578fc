import Foundation
import Hummingbird

/// `POST /auth/token`: trade an e-mail and password for a JWT.
///
/// Accepts the OAuth 2 password form that FastAPI's `OAuth2PasswordRequestForm`
/// clients send (`application/x-www-form-urlencoded`, `username` and
/// `password`) and the same fields as JSON (`email` may stand for
/// `username`). Credentials in the query string are refused outright:
/// URLs end up in proxy logs and browser history.
struct AuthController {
    let services: APIServices

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("auth/token", use: token)
    }

    @Sendable func token(_ request: Request, context: APIRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        if query["password"] != nil || query["username"] != nil || query["email"] != nil {
            throw APIError.badRequest("send credentials in the request body, never in the URL")
        }
        let form: TokenRequest
        if request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true {
            let buffer = try await request.body.collect(upTo: Request.maxBodyBytes)
            form = try TokenRequest(formBody: String(buffer: buffer))
        } else {
            form = try await request.decodeBody(TokenRequest.self)
        }
        let principal = try await services.login(email: form.username, password: form.password)
        return JSONResponse.encode(try await services.tokens.issue(for: principal), headers: [.cacheControl: "no-store"])
    }
}

/// The credentials of a token request.
struct TokenRequest: RequestBody {
    var username: String
    var password: String

    static let fieldNames: Set<String> = ["username", "email", "password", "grant_type", "scope", "client_id", "client_secret"]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        if let username = try container.decodeIfPresent(String.self, forKey: "username") {
            self.username = username
        } else if let email = try container.decodeIfPresent(String.self, forKey: "email") {
            username = email
        } else {
            throw APIError.invalid("username", "is required (the account's e-mail)")
        }
        password = try container.decode(String.self, forKey: "password")
    }

    /// `username=...&password=...`, percent-encoded with `+` for spaces.
    init(formBody: String) throws(APIError) {
        var fields: [String: String] = [:]
        for pair in formBody.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { throw .badRequest("the form body is not URL-encoded") }
            guard let value = Self.decode(parts.count > 1 ? parts[1] : "") else { throw .badRequest("the form body is not URL-encoded") }
            fields[name] = value
        }
        guard let username = fields["username"] ?? fields["email"] else { throw .invalid("username", "is required (the account's e-mail)") }
        guard let password = fields["password"] else { throw .invalid("password", "is required") }
        self.username = username
        self.password = password
    }

    private static func decode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
