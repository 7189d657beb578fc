import Fernet
import Testing

@Suite("Fernet keys")
struct FernetKeyTests {
    static let specSecret = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4="

    @Test("generated keys are 44 characters of padded base64url and parse back")
    func generatedKeys() throws {
        let key = try FernetKey.generate()
        let text = key.base64URLEncoded
        #expect(text.count == 44)
        #expect(text.hasSuffix("="))
        #expect(text.utf8.allSatisfy(isBase64URLCharacter))
        #expect(try FernetKey(base64URL: text) == key)
        #expect(try FernetKey(base64URL: text.dropLast()) == key)
    }

    @Test("generated keys differ")
    func keysDiffer() throws {
        let keys = try (0..<100).map { _ in try FernetKey.generate().base64URLEncoded }
        #expect(Set(keys).count == keys.count)
    }

    @Test("the fingerprint is the first 8 hex digits of SHA-256 of the raw key")
    func fingerprint() throws {
        // python3 -c 'import base64,hashlib; print(hashlib.sha256(base64.urlsafe_b64decode(KEY)).hexdigest()[:8])'
        #expect(try FernetKey(base64URL: Self.specSecret).fingerprint == "cbeb362f")
    }

    @Test("printing, debugging or dumping a key shows only its fingerprint")
    func keysDoNotPrint() throws {
        let key = try FernetKey(base64URL: Self.specSecret)
        var dumped = ""
        dump(key, to: &dumped)
        for text in [key.description, key.debugDescription, String(describing: key), String(reflecting: key), "\(key)", dumped] {
            #expect(text.contains("cbeb362f"))
            #expect(!text.contains("cw_0x689RpI"))
            #expect(!text.contains("115"), "raw key bytes (0x73 = 115 is the first) must not appear: \(text)")
        }
    }

    @Test("keys compare by value")
    func equality() throws {
        let key = try FernetKey(base64URL: Self.specSecret)
        #expect(try FernetKey(base64URL: Self.specSecret) == key)
        #expect(try FernetKey.generate() != key)
    }
}
