import Fernet
import Testing

/// Every vector the Fernet spec publishes: tokens made here must match
/// generate.json byte for byte, verify.json must decrypt, and each entry of
/// invalid.json must fail with its own specific reason.
@Suite("Fernet spec vectors")
struct SpecVectorTests {
    let vectors: SpecVectors

    init() throws {
        vectors = try SpecVectors.load()
    }

    /// The reason each invalid.json entry must be rejected for, by its `desc`.
    /// A vector missing here fails the test, so new vectors get a decision.
    static let expectedCodes: [String: FernetError.Code] = [
        "incorrect mac": .badHMAC,
        "too short": .tooShort,
        "invalid base64": .badBase64,
        "payload size not multiple of block size": .badCiphertextLength,
        "payload padding error": .badPadding,
        "far-future TS (unacceptable clock skew)": .fromTheFuture,
        "expired TTL": .expired,
        "incorrect IV (causes padding error)": .badPadding,
    ]

    @Test("generate.json: same time, IV and key give the same token")
    func generate() throws {
        try #require(!vectors.generate.isEmpty)
        for vector in vectors.generate {
            let fernet = try Fernet(
                key: FernetKey(base64URL: vector.secret),
                clock: .fixed(at: SpecVectors.seconds(vector.now)),
                ivSource: .constant(vector.iv)
            )
            #expect(try fernet.encrypt(vector.src) == vector.token)
            #expect(try fernet.encrypt(Array(vector.src.utf8)) == Array(vector.token.utf8))
        }
    }

    @Test("verify.json: tokens decrypt to their source within the TTL")
    func verify() throws {
        try #require(!vectors.verify.isEmpty)
        for vector in vectors.verify {
            let now = try SpecVectors.seconds(vector.now)
            let fernet = try Fernet(key: FernetKey(base64URL: vector.secret), clock: .fixed(at: now))
            let (plaintext, timestamp) = try fernet.decryptWithTimestamp(vector.token, ttl: .seconds(vector.ttl_sec))
            #expect(plaintext == Array(vector.src.utf8))
            #expect(timestamp == (try FernetToken.unverifiedTimestamp(of: vector.token)))
            #expect(timestamp <= now)
        }
    }

    @Test("invalid.json: each token fails with its own reason")
    func invalid() throws {
        try #require(!vectors.invalid.isEmpty)
        for vector in vectors.invalid {
            let expected = try #require(Self.expectedCodes[vector.desc], "no expected code for vector \"\(vector.desc)\"")
            let fernet = try Fernet(
                key: FernetKey(base64URL: vector.secret),
                clock: .fixed(at: SpecVectors.seconds(vector.now))
            )
            let error = #expect(throws: FernetError.self, "\(vector.desc)") {
                try fernet.decrypt(vector.token, ttl: .seconds(vector.ttl_sec))
            }
            #expect(error?.code == expected, "\(vector.desc): \(String(describing: error))")
        }
    }

    @Test("invalid.json: MultiFernet gives the same reasons as Fernet")
    func invalidWithMultiFernet() throws {
        try #require(!vectors.invalid.isEmpty)
        for vector in vectors.invalid {
            let expected = try #require(Self.expectedCodes[vector.desc])
            let fernet = try MultiFernet(
                keys: [FernetKey.generate(), FernetKey(base64URL: vector.secret)],
                clock: .fixed(at: SpecVectors.seconds(vector.now))
            )
            let error = #expect(throws: FernetError.self) {
                try fernet.decrypt(Array(vector.token.utf8), ttl: .seconds(vector.ttl_sec))
            }
            #expect(error?.code == expected, "\(vector.desc)")
        }
    }
}
