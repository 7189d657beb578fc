import Foundation
import Hummingbird

/// Proves who is calling, from the `Authorization` header only.
///
/// - `Bearer <jwt>`: a token from `POST /auth/token`, checked by signature
///   and expiry without touching the database.
/// - `Basic <base64(email:password)>`: checked against the stored bcrypt
///   hash (``PasswordHasher`` keeps repeated checks cheap).
///
/// Missing or wrong credentials are a 401 with `WWW-Authenticate` naming
/// both schemes. Credentials are never read from the query string, and
/// neither the header nor its parts are ever logged.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let services: APIServices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.identity = try await authenticate(request)
        return try await next(request, context)
    }

    private func authenticate(_ request: Request) async throws -> Principal {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthenticated("credentials required: send a Bearer token from POST /auth/token, or HTTP Basic")
        }
        let (scheme, value) = Self.split(header)
        switch scheme.lowercased() {
        case "bearer":
            return try await services.tokens.verify(value)
        case "basic":
            guard let decoded = Data(base64Encoded: value), let text = String(data: decoded, encoding: .utf8),
                  let colon = text.firstIndex(of: ":") else {
                throw APIError.unauthenticated("the Basic credentials are not base64 of email:password")
            }
            return try await services.login(email: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
        default:
            throw APIError.unauthenticated("unsupported authorization scheme; use Bearer or Basic")
        }
    }

    /// `Scheme value` with the scheme compared case-insensitively (RFC 9110).
    private static func split(_ header: String) -> (scheme: Substring, value: String) {
        guard let space = header.firstIndex(of: " ") else { return (header[...], "") }
        return (header[..<space], String(header[header.index(after: space)...]).trimmingWhitespace)
    }
}

extension APIServices {
    /// Checks an e-mail and password; the principal, or 401. An unknown
    /// e-mail costs the same bcrypt time as a wrong password.
    func login(email: String, password: String) async throws -> Principal {
        guard !email.isEmpty, !email.utf8.contains(0), email.utf8.count <= 254, password.utf8.count <= 1024 else {
            throw APIError.unauthenticated("wrong e-mail or password")
        }
        let account = try await database.withConnection { try await UserStore(connection: $0).credentials(email: email) }
        guard let account else {
            try await passwords.spendCheckTime(password)
            throw APIError.unauthenticated("wrong e-mail or password")
        }
        guard try await passwords.verify(password, against: account.passwordHash) else {
            throw APIError.unauthenticated("wrong e-mail or password")
        }
        return Principal(userID: account.id, role: account.role)
    }
}
