@testable import API
import Fernet
import Foundation
import Testing

/// The API's per-owner ciphers on a real key folder: a rotation is seen at
/// the first token that needs it, and never undone by a cipher lent out
/// before it.
@Suite("Owner ciphers")
struct OwnerCiphersTests {
    private func withFolder(_ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-ciphers-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Keyring.generateKeyFile(forOwner: 1, in: folder)
        try body(folder)
    }

    @Test("a rotated key file is read again once it changed, and only then")
    func refreshOnChange() throws {
        try withFolder { folder in
            let ciphers = OwnerCiphers(directory: folder)
            _ = try ciphers.withCipher(owner: 1) { _ in 0 }
            #expect(!ciphers.refreshIfChanged(owner: 1))
            try Keyring.rotateKeyFile(forOwner: 1, in: folder)
            #expect(ciphers.refreshIfChanged(owner: 1))
            #expect(!ciphers.refreshIfChanged(owner: 1))
        }
    }

    @Test("a cipher lent out before a rotation is not put back after it")
    func staleCipherIsDropped() throws {
        try withFolder { folder in
            let ciphers = OwnerCiphers(directory: folder)
            let plaintext = Array("reading".utf8)
            try ciphers.withCipher(owner: 1) { _ in
                // Another request meets a rotated token while this one holds a cipher.
                try Keyring.rotateKeyFile(forOwner: 1, in: folder)
                #expect(ciphers.refreshIfChanged(owner: 1))
            }
            let token = try Keyring.load(directory: folder).multiFernet(forOwner: 1).encrypt(plaintext)
            for _ in 0 ..< 3 {
                #expect(try ciphers.withCipher(owner: 1) { try $0.decrypt(token) } == plaintext)
            }
        }
    }

    @Test("an owner without a key file is refused until the file appears, then served at once")
    func keyFileAppears() throws {
        try withFolder { folder in
            let ciphers = OwnerCiphers(directory: folder)
            #expect(throws: CipherUnavailable.self) { try ciphers.withCipher(owner: 2) { _ in 0 } }
            #expect(throws: CipherUnavailable.self) { try ciphers.withCipher(owner: 2) { _ in 0 } }
            try Keyring.generateKeyFile(forOwner: 2, in: folder)
            #expect(try ciphers.withCipher(owner: 2) { _ in 1 } == 1)
        }
    }
}
