import Fernet
import Testing

/// TTL and clock-skew limits, judged by an injected clock: no sleeping.
@Suite("Fernet TTL and clock skew")
struct TimeLimitTests {
    let key: FernetKey
    let madeAt: UInt64 = 1_750_000_000

    init() throws {
        key = try FernetKey.generate()
    }

    private func token(madeAt seconds: UInt64) throws -> String {
        try Fernet(key: key, clock: .fixed(at: seconds)).encrypt("reading")
    }

    private func reader(at seconds: UInt64, maxClockSkew: Duration = Fernet.defaultMaxClockSkew) throws -> Fernet {
        try Fernet(key: key, clock: .fixed(at: seconds), maxClockSkew: maxClockSkew)
    }

    @Test("a token exactly as old as the TTL is accepted, one second more is expired")
    func ttlBoundary() throws {
        let token = try token(madeAt: madeAt)
        #expect(try reader(at: madeAt + 60).decrypt(token, ttl: .seconds(60)) == Array("reading".utf8))
        let error = #expect(throws: FernetError.self) {
            try reader(at: madeAt + 61).decrypt(token, ttl: .seconds(60))
        }
        #expect(error?.code == .expired)
        #expect(error?.description.contains("61 s old") == true)
    }

    @Test("the default skew accepts tokens up to 60 s ahead and refuses 61 s")
    func defaultSkewBoundary() throws {
        let reader = try reader(at: madeAt)
        #expect(try reader.decrypt(try token(madeAt: madeAt + 60), ttl: .seconds(3600)) == Array("reading".utf8))
        let error = #expect(throws: FernetError.self) {
            try reader.decrypt(try token(madeAt: madeAt + 61), ttl: .seconds(3600))
        }
        #expect(error?.code == .fromTheFuture)
    }

    @Test("a configured skew replaces the default")
    func configuredSkew() throws {
        let strict = try reader(at: madeAt, maxClockSkew: .zero)
        let error = #expect(throws: FernetError.self) {
            try strict.decrypt(try token(madeAt: madeAt + 1), ttl: .seconds(3600))
        }
        #expect(error?.code == .fromTheFuture)
        let lenient = try reader(at: madeAt, maxClockSkew: .seconds(300))
        #expect(try lenient.decrypt(try token(madeAt: madeAt + 299), ttl: .seconds(3600)).count == 7)
    }

    @Test("without a TTL, as in the spec, neither age nor skew is checked")
    func noTTLNoTimeChecks() throws {
        let reader = try reader(at: madeAt)
        #expect(try reader.decrypt(try token(madeAt: 0)) == Array("reading".utf8))
        #expect(try reader.decrypt(try token(madeAt: madeAt + 86_400)) == Array("reading".utf8))
    }

    @Test("time limits are checked only after the HMAC: a forged old token is badHMAC, not expired")
    func hmacBeforeTime() throws {
        let foreign = try Fernet(key: FernetKey.generate(), clock: .fixed(at: 0)).encrypt("reading")
        let error = #expect(throws: FernetError.self) {
            try reader(at: madeAt).decrypt(foreign, ttl: .seconds(60))
        }
        #expect(error?.code == .badHMAC)
    }

    @Test("a custom clock is read at each call")
    func liveClock() throws {
        let clock = FernetClock { 1_000 }
        let fernet = try Fernet(key: key, clock: clock)
        #expect(try fernet.decryptWithTimestamp(fernet.encrypt("x")).timestamp == 1_000)
    }
}
