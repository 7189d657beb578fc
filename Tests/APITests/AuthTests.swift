@testable import API
import Foundation
import Hummingbird
import JWTKit
import Testing

extension APITests {
    /// `/auth/token`, Bearer and Basic, and every way a credential is refused.
    @Suite("Authentication")
    struct AuthTests {
        @Test("a JSON login returns an HS256 token with sub, role, iat and exp")
        func jsonLogin() async throws {
            try await TestAPI.run { api throws in
                let reply = try await api.send(.post, "/auth/token", json: #"{"username":"alice@example.com","password":"\#(TestAPI.password)"}"#)
                #expect(reply.status == .ok)
                #expect(reply.json["token_type"].string == "bearer")
                #expect(reply.json["expires_in"].int == 3600)
                #expect(reply.headers[.cacheControl] == "no-store")
                let token = try #require(reply.json["access_token"].string)
                let parts = token.split(separator: ".")
                #expect(parts.count == 3)
                let header = JSONValue(parsing: try Self.base64URLDecode(parts[0]))
                let claims = JSONValue(parsing: try Self.base64URLDecode(parts[1]))
                #expect(header["alg"].string == "HS256")
                #expect(claims["sub"].string == "1")
                #expect(claims["role"].string == "user")
                let issued = try #require(claims["iat"].double)
                let expires = try #require(claims["exp"].double)
                #expect(expires - issued == 3600)
                #expect(try await api.send(.get, "/users/me", as: .bearer(token)).json["email"].string == "alice@example.com")
            }
        }

        @Test("an OAuth 2 form login (FastAPI's OAuth2PasswordRequestForm) works, the e-mail in any case")
        func formLogin() async throws {
            try await TestAPI.run { api throws in
                let password = TestAPI.password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let reply = try await api.send(.post, "/auth/token", json: "grant_type=password&username=ALICE%40example.com&password=\(password)",
                                               headers: [.contentType: "application/x-www-form-urlencoded"])
                #expect(reply.status == .ok)
                #expect(reply.json["access_token"].string != nil)
            }
        }

        @Test("a wrong password, an unknown e-mail and a locked account are the same 401")
        func wrongCredentials() async throws {
            try await TestAPI.run { api throws in
                try await api.execute("UPDATE users SET password_hash = '!' WHERE id = 3")
                for body in [
                    #"{"username":"alice@example.com","password":"not the password"}"#,
                    #"{"username":"nobody@example.com","password":"\#(TestAPI.password)"}"#,
                    #"{"username":"carol@example.com","password":"\#(TestAPI.password)"}"#,
                ] {
                    let reply = try await api.send(.post, "/auth/token", json: body)
                    #expect(reply.status == .unauthorized)
                    #expect(reply.json["error"]["message"].string == "wrong e-mail or password")
                    #expect(reply.headers[values: .wwwAuthenticate].count == 2)
                }
            }
        }

        @Test("a token request missing a field is 422 naming it; credentials in the URL are refused")
        func malformedTokenRequests() async throws {
            try await TestAPI.run { api throws in
                let missing = try await api.send(.post, "/auth/token", json: #"{"username":"alice@example.com"}"#)
                #expect(missing.status == .unprocessableContent)
                #expect(missing.errorField == "password")
                let noUser = try await api.send(.post, "/auth/token", json: #"{"password":"x"}"#)
                #expect(noUser.errorField == "username")
                let inURL = try await api.send(.post, "/auth/token?username=alice@example.com&password=\(TestAPI.password.replacingOccurrences(of: " ", with: "+"))",
                                               json: #"{"username":"alice@example.com","password":"\#(TestAPI.password)"}"#)
                #expect(inURL.status == .badRequest)
                let notJSON = try await api.send(.post, "/auth/token", json: "{not json")
                #expect(notJSON.status == .badRequest)
            }
        }

        @Test("HTTP Basic works on every protected route, and a wrong Basic password is 401")
        func basicAuth() async throws {
            try await TestAPI.run { api throws in
                let good = Credential.basic(email: "alice@example.com", password: TestAPI.password)
                #expect(try await api.send(.get, "/users/me", as: good).json["id"].int == 1)
                #expect(try await api.send(.get, "/houses/1/data", as: good).status == .ok)
                // The second check with the same password is served from the verification cache.
                #expect(try await api.send(.get, "/houses", as: good).status == .ok)
                let bad = try await api.send(.get, "/users/me", as: .basic(email: "alice@example.com", password: "wrong password"))
                #expect(bad.status == .unauthorized)
                #expect(bad.headers[values: .wwwAuthenticate].contains { $0.hasPrefix("Basic") })
                let garbage = try await api.send(.get, "/users/me", as: .header("Basic %%%"))
                #expect(garbage.status == .unauthorized)
            }
        }

        @Test("a missing Authorization header is 401 with WWW-Authenticate for Bearer and Basic")
        func missingCredentials() async throws {
            try await TestAPI.run { api throws in
                let reply = try await api.send(.get, "/houses")
                #expect(reply.status == .unauthorized)
                #expect(reply.errorCode == "unauthenticated")
                let challenges = reply.headers[values: .wwwAuthenticate]
                #expect(challenges.contains(#"Bearer realm="hearth""#))
                #expect(challenges.contains { $0.hasPrefix(#"Basic realm="hearth""#) })
                #expect(try await api.send(.get, "/houses", as: .header("Digest abc")).status == .unauthorized)
            }
        }

        @Test("an expired token is refused")
        func expiredToken() async throws {
            try await TestAPI.run { api throws in
                let issued = try await api.services.tokens.issue(for: Principal(userID: 1, role: .user), now: Date().addingTimeInterval(-7200))
                let reply = try await api.send(.get, "/users/me", as: .bearer(issued.accessToken))
                #expect(reply.status == .unauthorized)
                #expect(reply.headers[values: .wwwAuthenticate].contains { $0.contains(#"error="invalid_token""#) })
            }
        }

        @Test("a token with a changed payload or signature is refused")
        func tamperedToken() async throws {
            try await TestAPI.run { api throws in
                let token = try await api.token(for: TestAPI.Seeded.alice)
                let parts = token.split(separator: ".").map(String.init)
                // Claim to be Dana, the administrator, keeping Alice's signature.
                let forged = try Self.base64URLEncode(Self.base64URLDecode(parts[1]).replacing(Array(#""sub":"1""#.utf8), with: Array(#""sub":"4""#.utf8)))
                #expect(forged != parts[1])
                #expect(try await api.send(.get, "/users", as: .bearer([parts[0], forged, parts[2]].joined(separator: "."))).status == .unauthorized)
                var signature = Array(parts[2].utf8)
                signature[0] = signature[0] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
                let badSignature = [parts[0], parts[1], String(decoding: signature, as: UTF8.self)].joined(separator: ".")
                #expect(try await api.send(.get, "/users/me", as: .bearer(badSignature)).status == .unauthorized)
                #expect(try await api.send(.get, "/users/me", as: .bearer("not.a.token")).status == .unauthorized)
                #expect(try await api.send(.get, "/users/me", as: .bearer(token)).status == .ok)
            }
        }

        @Test("a token signed with another key, or with alg none, is refused")
        func foreignTokens() async throws {
            try await TestAPI.run { api throws in
                let stranger = await TokenIssuer(secret: TestAPI.randomSecret(), lifetime: .seconds(600))
                let foreign = try await stranger.issue(for: Principal(userID: 4, role: .admin)).accessToken
                #expect(try await api.send(.get, "/users", as: .bearer(foreign)).status == .unauthorized)

                let header = Self.base64URLEncode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8))
                let now = Int(Date().timeIntervalSince1970)
                let claims = Self.base64URLEncode(Array(#"{"sub":"4","role":"admin","iat":\#(now),"exp":\#(now + 600),"iss":"hearth"}"#.utf8))
                #expect(try await api.send(.get, "/users", as: .bearer("\(header).\(claims).")).status == .unauthorized)
            }
        }

        @Test("a token outlives neither its account nor its holder's role")
        func tokenFollowsTheDatabase() async throws {
            try await TestAPI.run { api throws in
                let dana = try await api.token(for: TestAPI.Seeded.dana)
                #expect(try await api.send(.get, "/users", as: .bearer(dana)).status == .ok)
                try await api.execute("UPDATE users SET role = 'user' WHERE id = 4")
                #expect(try await api.send(.get, "/users", as: .bearer(dana)).status == .forbidden)

                let bob = try await api.token(for: TestAPI.Seeded.bob)
                try await api.execute("DELETE FROM users WHERE id = 2")
                #expect(try await api.send(.get, "/users/me", as: .bearer(bob)).status == .unauthorized)
                #expect(try await api.send(.get, "/houses/1/data", as: .bearer(bob)).status == .unauthorized)
            }
        }

        static func base64URLDecode(_ text: some StringProtocol) throws -> [UInt8] {
            var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while base64.count % 4 != 0 { base64 += "=" }
            return Array(try #require(Data(base64Encoded: base64)))
        }

        static func base64URLEncode(_ bytes: [UInt8]) -> String {
            Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
    }
}
