import Fernet
import Testing

/// Each way a token or key can be wrong has its own code, and no error text
/// ever contains the key, the plaintext or the token.
@Suite("Fernet errors")
struct ErrorTests {
    static let plaintext = "secret reading 12345"
    let key: FernetKey
    let fernet: Fernet
    let token: String

    init() throws {
        key = try FernetKey.generate()
        fernet = try Fernet(key: key)
        token = try fernet.encrypt(Self.plaintext)
    }

    /// Decrypts `token`, expects `code`, and checks the error leaks nothing.
    private func expectFailure(_ token: String, _ code: FernetError.Code, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: FernetError.self, sourceLocation: sourceLocation) {
            try fernet.decrypt(token, ttl: .seconds(60))
        }
        #expect(error?.code == code, "\(String(describing: error))", sourceLocation: sourceLocation)
        if let error {
            expectNoSecrets(in: error, sourceLocation: sourceLocation)
            if token.count > 8 {
                #expect(!error.description.contains(token), sourceLocation: sourceLocation)
            }
        }
    }

    private func expectNoSecrets(in error: FernetError, sourceLocation: SourceLocation = #_sourceLocation) {
        for text in [error.description, error.message, String(reflecting: error)] {
            #expect(!text.contains(key.base64URLEncoded), sourceLocation: sourceLocation)
            #expect(!text.contains(Self.plaintext), sourceLocation: sourceLocation)
        }
    }

    @Test("characters outside base64url are badBase64", arguments: ["+", "/", " ", "\n", "%", "é"])
    func foreignCharacter(character: String) {
        let index = token.index(token.startIndex, offsetBy: 20)
        expectFailure(token.replacingCharacters(in: index...index, with: character), .badBase64)
    }

    @Test("impossible lengths and misplaced padding are badBase64")
    func malformedBase64() {
        expectFailure(token + "A", .badBase64)
        expectFailure("====", .badBase64)
        expectFailure(String(token.dropLast(2)) + "=A", .badBase64)
        expectFailure("=" + token.dropFirst(), .badBase64)
    }

    @Test("non-zero bits after the last byte are badBase64 (one spelling per token)")
    func nonCanonicalBase64() {
        // A 2-character final group carries 4 unused bits: "AB" sets one of them.
        let twoCharacterTail = TokenSurgery.encode(Array(repeating: 0x80, count: 73)).prefix { $0 != "=" }
        #expect(twoCharacterTail.count % 4 == 2)
        expectFailure(String(twoCharacterTail.dropLast()) + "B", .badBase64)
    }

    @Test("an empty or truncated token is tooShort")
    func tooShort() {
        expectFailure("", .tooShort)
        expectFailure("gA==", .tooShort)
        expectFailure(TokenSurgery.edit(token) { $0.removeLast($0.count - 57) }, .tooShort)
    }

    @Test("a version byte other than 0x80 is badVersion")
    func badVersion() {
        expectFailure(TokenSurgery.edit(token) { $0[0] = 0x81 }, .badVersion)
        expectFailure(TokenSurgery.edit(token) { $0[0] = 0x00 }, .badVersion)
    }

    @Test("ciphertext that is not whole blocks is badCiphertextLength")
    func partialBlock() {
        expectFailure(TokenSurgery.edit(token) { $0.remove(at: 30) }, .badCiphertextLength)
    }

    @Test("any changed byte is badHMAC", arguments: [1, 9, 25, 40, -1])
    func tampered(offset: Int) {
        let tampered = TokenSurgery.edit(token) { bytes in
            let index = offset >= 0 ? offset : bytes.count + offset
            bytes[index] ^= 0x01
        }
        expectFailure(tampered, .badHMAC)
    }

    @Test("a token made with another key is badHMAC")
    func foreignKey() throws {
        expectFailure(try Fernet(key: FernetKey.generate()).encrypt(Self.plaintext), .badHMAC)
    }

    @Test("bad padding behind a valid HMAC is badPadding, and the instance keeps working")
    func badPaddingThenRecovery() throws {
        let vectors = try SpecVectors.load()
        let paddingVectors = vectors.invalid.filter { $0.desc.contains("padding") }
        try #require(paddingVectors.count == 2)
        for vector in paddingVectors {
            let fernet = try Fernet(key: FernetKey(base64URL: vector.secret), clock: .fixed(at: SpecVectors.seconds(vector.now)))
            let error = #expect(throws: FernetError.self) { try fernet.decrypt(vector.token) }
            #expect(error?.code == .badPadding)
            let fresh = try fernet.encrypt("after a failure")
            #expect(try fernet.decrypt(fresh) == Array("after a failure".utf8))
        }
    }

    @Test("malformed keys are badKey", arguments: [
        "", "short", "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4", "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=AAAA",
        "cw/0x689RpI+jtRR7oE8h/eQsKImvJapLeSbXpwF4e4=", " cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=",
    ])
    func badKeyText(text: String) throws {
        if text == "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4" {
            // 43 characters is the spec key without its padding: accepted.
            #expect(throws: Never.self) { try FernetKey(base64URL: text) }
            return
        }
        let error = #expect(throws: FernetError.self) { try FernetKey(base64URL: text) }
        #expect(error?.code == .badKey)
    }

    @Test("wrong-sized raw keys and empty key lists are badKey")
    func badKeyShape() {
        #expect(throws: FernetError.self) { try FernetKey(bytes: [UInt8](repeating: 1, count: 31)) }
        let error = #expect(throws: FernetError.self) { try MultiFernet(keys: []) }
        #expect(error?.code == .badKey)
    }

    @Test("unverifiedTimestamp reports short, non-base64 and wrong-version tokens")
    func unverifiedTimestampErrors() {
        #expect(throws: FernetError.self) { try FernetToken.unverifiedTimestamp(of: "gAAAA") }
        let badCharacters = #expect(throws: FernetError.self) { try FernetToken.unverifiedTimestamp(of: "gAAAAA%%AAAAAAAA") }
        #expect(badCharacters?.code == .badBase64)
        let wrongVersion = #expect(throws: FernetError.self) {
            try FernetToken.unverifiedTimestamp(of: TokenSurgery.edit(token) { $0[0] = 0x81 })
        }
        #expect(wrongVersion?.code == .badVersion)
    }

    @Test("codes are distinct and name themselves")
    func distinctCodes() {
        let codes: [FernetError.Code] = [
            .badBase64, .badVersion, .tooShort, .badCiphertextLength, .badPadding,
            .badHMAC, .expired, .fromTheFuture, .badKey, .cryptoFailure,
        ]
        #expect(Set(codes).count == codes.count)
        #expect(Set(codes.map(\.description)).count == codes.count)
        #expect(FernetError(.badHMAC, "x").description == "Fernet badHMAC: x")
    }
}
