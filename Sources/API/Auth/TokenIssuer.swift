import Foundation
import JWTKit
import NIOConcurrencyHelpers

/// Signs and checks the API's JSON Web Tokens: HS256 over a secret that
/// only this deployment knows (``JWTSecret``).
///
/// A token carries `sub` (the user id), `role`, `iat`, `exp` and
/// `iss: hearth`. Verification accepts exactly HS256 with this secret: a
/// token with another algorithm (including `none`), another key, a changed
/// byte or a past `exp` is refused with 401.
final class TokenIssuer: Sendable {
    static let issuer = "hearth"

    private let keys: JWTKeyCollection
    let lifetime: Duration
    /// Tokens already verified, with their principal and expiry. A client
    /// sends the same token with every request for its whole lifetime;
    /// remembering the exact string that passed saves the signature check
    /// and two JSON decodes per request. A forged token is a different
    /// string, so it still goes through the full check.
    private let verified = NIOLockedValueBox<[String: (principal: Principal, expires: Date)]>([:])
    private static let verifiedCapacity = 10_000

    init(secret: [UInt8], lifetime: Duration) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.lifetime = lifetime
    }

    /// A new token for `principal`, valid for ``lifetime`` from `now`.
    func issue(for principal: Principal, now: Date = Date()) async throws -> IssuedToken {
        let seconds = Double(lifetime.components.seconds) + Double(lifetime.components.attoseconds) / 1e18
        let claims = HearthClaims(
            subject: SubjectClaim(value: String(principal.userID)),
            role: principal.role.rawValue,
            issuedAt: IssuedAtClaim(value: now),
            expiration: ExpirationClaim(value: now.addingTimeInterval(seconds)),
            issuer: IssuerClaim(value: Self.issuer)
        )
        return IssuedToken(accessToken: try await keys.sign(claims), expiresIn: Int(seconds.rounded(.down)))
    }

    /// The principal a token proves, or 401 saying why it proves nothing.
    func verify(_ token: String) async throws(APIError) -> Principal {
        let now = Date()
        if let hit = verified.withLockedValue({ $0[token] }) {
            if hit.expires > now { return hit.principal }
            verified.withLockedValue { _ = $0.removeValue(forKey: token) }
        }
        let claims: HearthClaims
        do {
            claims = try await keys.verify(token, as: HearthClaims.self)
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw .unauthenticated("the token has expired or was not issued by hearth; get a new one from /auth/token", invalidToken: true)
        } catch {
            throw .unauthenticated("the token is malformed or its signature does not match", invalidToken: true)
        }
        guard let id = Int(claims.subject.value), id > 0, let role = UserRole(rawValue: claims.role) else {
            throw .unauthenticated("the token's subject or role is not valid", invalidToken: true)
        }
        let principal = Principal(userID: id, role: role)
        verified.withLockedValue { cache in
            if cache.count >= Self.verifiedCapacity {
                cache = cache.filter { $0.value.expires > now }
                if cache.count >= Self.verifiedCapacity { cache.removeAll(keepingCapacity: true) }
            }
            cache[token] = (principal, claims.expiration.value)
        }
        return principal
    }
}

/// The claims of a hearth token.
struct HearthClaims: JWTPayload {
    var subject: SubjectClaim
    var role: String
    var issuedAt: IssuedAtClaim
    var expiration: ExpirationClaim
    var issuer: IssuerClaim

    enum CodingKeys: String, CodingKey {
        case subject = "sub"
        case role
        case issuedAt = "iat"
        case expiration = "exp"
        case issuer = "iss"
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try expiration.verifyNotExpired()
        guard issuer.value == TokenIssuer.issuer else {
            throw JWTError.claimVerificationFailure(failedClaim: issuer, reason: "not issued by hearth")
        }
    }
}

/// The body of a successful `POST /auth/token`, in OAuth 2's shape (what
/// FastAPI's `OAuth2PasswordBearer` clients expect).
struct IssuedToken: Encodable, Sendable {
    var accessToken: String
    var tokenType = "bearer"
    var expiresIn: Int

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
    }
}
