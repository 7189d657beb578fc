import Fernet
import Testing

/// Rotation as in Python's MultiFernet: encrypt with the first key, decrypt with any.
@Suite("MultiFernet rotation")
struct MultiFernetTests {
    let current: FernetKey
    let previous: FernetKey

    init() throws {
        current = try FernetKey.generate()
        previous = try FernetKey.generate()
    }

    @Test("new tokens are made with the first key")
    func encryptsWithFirstKey() throws {
        let token = try MultiFernet(keys: [current, previous]).encrypt("reading")
        #expect(try Fernet(key: current).decrypt(token) == Array("reading".utf8))
        let error = #expect(throws: FernetError.self) { try Fernet(key: previous).decrypt(token) }
        #expect(error?.code == .badHMAC)
    }

    @Test("tokens made with any listed key decrypt")
    func decryptsWithAnyKey() throws {
        let multi = try MultiFernet(keys: [current, previous])
        #expect(multi.keyCount == 2)
        for key in [current, previous] {
            let token = try Fernet(key: key).encrypt(Array("reading".utf8))
            #expect(try multi.decrypt(token) == Array("reading".utf8))
        }
    }

    @Test("a token made with a key no longer listed is badHMAC, naming the number of keys")
    func retiredKey() throws {
        let retired = try Fernet(key: FernetKey.generate()).encrypt("reading")
        let error = #expect(throws: FernetError.self) { try MultiFernet(keys: [current, previous]).decrypt(retired) }
        #expect(error?.code == .badHMAC)
        #expect(error?.message.contains("2 keys") == true)
    }

    @Test("rotate re-encrypts under the first key and keeps the original timestamp")
    func rotateKeepsTimestamp() throws {
        let old = try Fernet(key: previous, clock: .fixed(at: 1_600_000_000)).encrypt("at rest")
        let multi = try MultiFernet(keys: [current, previous], clock: .fixed(at: 1_700_000_000))
        let rotated = try multi.rotate(old)
        let opened = try Fernet(key: current).decryptWithTimestamp(rotated)
        #expect(opened.plaintext == Array("at rest".utf8))
        #expect(opened.timestamp == 1_600_000_000)
        let rotatedBytes = try multi.rotate(Array(old.utf8))
        #expect(try Fernet(key: current).decrypt(rotatedBytes) == Array("at rest".utf8))
    }

    @Test("rotate honours a TTL")
    func rotateWithTTL() throws {
        let old = try Fernet(key: previous, clock: .fixed(at: 1_000)).encrypt("stale")
        let multi = try MultiFernet(keys: [current, previous], clock: .fixed(at: 5_000))
        let error = #expect(throws: FernetError.self) { try multi.rotate(old, ttl: .seconds(60)) }
        #expect(error?.code == .expired)
    }

    @Test("MultiFernet opens the spec's verify.json tokens among other keys")
    func specTokenAmongKeys() throws {
        let vectors = try SpecVectors.load()
        let vector = try #require(vectors.verify.first)
        let multi = try MultiFernet(
            keys: [current, FernetKey(base64URL: vector.secret), previous],
            clock: .fixed(at: SpecVectors.seconds(vector.now))
        )
        #expect(try multi.decrypt(vector.token, ttl: .seconds(vector.ttl_sec)) == Array(vector.src.utf8))
    }
}
