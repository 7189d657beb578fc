import Fernet
import Testing

@Suite("Fernet round trips")
struct RoundTripTests {
    let key: FernetKey

    init() throws {
        key = try FernetKey.generate()
    }

    /// Plaintext sizes around every block and base64 boundary, plus sizes that
    /// outgrow the engine's initial scratch buffer.
    static let sizes = Array(0...70) + [200, 1023, 1024, 1025, 4096, 100_000]

    @Test("bytes survive encrypt then decrypt at every size", arguments: sizes)
    func bytesRoundTrip(size: Int) throws {
        let fernet = try Fernet(key: key)
        let plaintext = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let token = try fernet.encrypt(plaintext)
        #expect(try fernet.decrypt(token) == plaintext)
        #expect(token.count == expectedTokenLength(plaintextCount: size))
        #expect(token.allSatisfy(isBase64URLCharacter))
    }

    @Test("strings survive and tokens are padded base64url")
    func stringRoundTrip() throws {
        let fernet = try Fernet(key: key)
        let reading = #"{"sensor_id":4,"temperature":21.5,"note":"grüße ☃"}"#
        let token = try fernet.encrypt(reading)
        #expect(token.utf8.allSatisfy(isBase64URLCharacter))
        #expect(token.utf8.count % 4 == 0)
        #expect(String(decoding: try fernet.decrypt(token), as: UTF8.self) == reading)
        #expect(try fernet.decrypt(Array(token.utf8)) == Array(reading.utf8))
    }

    @Test("the same plaintext encrypts to different tokens (fresh IV each time)")
    func freshIVs() throws {
        let fernet = try Fernet(key: key)
        let tokens = try (0..<1000).map { _ in try fernet.encrypt("same reading") }
        #expect(Set(tokens).count == tokens.count)
    }

    /// The engine reuses its cipher contexts, chaining IVs by hand; tokens
    /// from a long-lived instance must open in a fresh one and vice versa,
    /// whatever happened in between (other sizes, failures).
    @Test("a long-lived instance interoperates with fresh ones")
    func reusedContextsStayCorrect() throws {
        let longLived = try Fernet(key: key)
        for size in [0, 15, 16, 17, 200, 33, 1, 4096, 48] {
            let plaintext = [UInt8](repeating: UInt8(size % 251), count: size)
            let fromLongLived = try longLived.encrypt(plaintext)
            #expect(try Fernet(key: key).decrypt(fromLongLived) == plaintext)
            let fromFresh = try Fernet(key: key).encrypt(plaintext)
            #expect(try longLived.decrypt(fromFresh) == plaintext)
            #expect(throws: FernetError.self) { try longLived.decrypt("gAAAA" + String(repeating: "A", count: 95)) }
        }
    }

    @Test("decryptWithTimestamp returns the clock's time at encryption")
    func timestampRoundTrip() throws {
        let fernet = try Fernet(key: key, clock: .fixed(at: 1_700_000_000))
        let token = try fernet.encrypt("reading")
        #expect(try fernet.decryptWithTimestamp(token).timestamp == 1_700_000_000)
        #expect(try FernetToken.unverifiedTimestamp(of: token) == 1_700_000_000)
        #expect(try FernetToken.unverifiedTimestamp(of: Array(token.utf8)) == 1_700_000_000)
    }

    @Test("tokens with the padding stripped are accepted")
    func unpaddedTokens() throws {
        let fernet = try Fernet(key: key)
        let token = try fernet.encrypt("abc")
        let unpadded = String(token.prefix { $0 != "=" })
        #expect(unpadded.count < token.count)
        #expect(try fernet.decrypt(unpadded) == Array("abc".utf8))
    }

    @Test("an injected IV source is used for every token")
    func injectedIVSource() throws {
        var counter: UInt8 = 0
        let fernet = try Fernet(key: key, ivSource: FernetIVSource { iv in
            counter &+= 1
            for index in iv.indices { iv[index] = counter }
        })
        let first = try fernet.encrypt("x")
        let second = try fernet.encrypt("x")
        #expect(first != second)
        #expect(counter == 2)
    }

    private func expectedTokenLength(plaintextCount: Int) -> Int {
        let decoded = 1 + 8 + 16 + (plaintextCount / 16 + 1) * 16 + 32
        return (decoded + 2) / 3 * 4
    }
}

func isBase64URLCharacter(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        return true
    case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "="):
        return true
    default:
        return false
    }
}
