@testable import API
import Foundation
import Testing

/// Where the token signing secret comes from. These touch only a temporary
/// folder, no servers.
@Suite("JWT signing secret")
struct JWTSecretTests {
    static func withFolder(_ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-jwt-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try body(folder)
    }

    @Test("the first start writes a 0600 key file of 32 random bytes; later starts read the same secret")
    func generatedFile() throws {
        try Self.withFolder { folder throws in
            let first = try JWTSecret.resolve(environmentValue: nil, keysDirectory: folder)
            #expect(first.count == 32)
            let path = folder + "/" + JWTSecret.fileName
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
            #expect(mode == 0o600)
            #expect(try JWTSecret.resolve(environmentValue: nil, keysDirectory: folder) == first)
            let other = try Self.withSecondFolder()
            #expect(other != first)
        }
    }

    @Test("a key file others can read is refused")
    func loosePermissions() throws {
        try Self.withFolder { folder throws in
            _ = try JWTSecret.resolve(environmentValue: nil, keysDirectory: folder)
            let path = folder + "/" + JWTSecret.fileName
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            #expect(throws: JWTSecretError.self) { try JWTSecret.resolve(environmentValue: nil, keysDirectory: folder) }
        }
    }

    @Test("HEARTH_JWT_SECRET wins over the file, and must have at least 32 bytes")
    func environment() throws {
        try Self.withFolder { folder throws in
            let secret = String(repeating: "s", count: 40)
            #expect(try JWTSecret.resolve(environmentValue: secret, keysDirectory: folder) == Array(secret.utf8))
            #expect(!FileManager.default.fileExists(atPath: folder))
            #expect(throws: JWTSecretError.self) { try JWTSecret.resolve(environmentValue: "too short", keysDirectory: folder) }
        }
    }

    static func withSecondFolder() throws -> [UInt8] {
        var secret: [UInt8] = []
        try withFolder { secret = try JWTSecret.resolve(environmentValue: nil, keysDirectory: $0) }
        return secret
    }
}
