// libFuzzer target for the Fernet decoder. Compiled together with
// Sources/Fernet/*.swift into one module by run.sh, so it can also drive the
// internal pieces (base64url, key-file parsing, HMAC) directly.
//
// Every input must end in a result or a thrown FernetError/KeyringError:
// a crash, a sanitizer report or a broken invariant (trap) is a bug.

/// One key and its instances, reused across inputs as in production (the
/// engine's reused contexts are part of what is under test).
nonisolated(unsafe) let key = try! FernetKey(base64URL: "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=")
nonisolated(unsafe) let fernet = try! Fernet(key: key, clock: .fixed(at: 499_162_801))
nonisolated(unsafe) let multiFernet = try! MultiFernet(keys: [FernetKey.generate(), key], clock: .fixed(at: 499_162_801))
nonisolated(unsafe) let signer = try! Array(key.signingKey).withUnsafeBufferPointer { bytes throws(FernetError) in
    try HMACSHA256(key: UnsafeRawBufferPointer(bytes))
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let input = UnsafeRawBufferPointer(start: data, count: count)
    guard let mode = input.first else { return 0 }
    let body = UnsafeRawBufferPointer(rebasing: input[1...])
    switch mode % 4 {
    case 0: decryptArbitraryToken(body, ttlSeed: mode)
    case 1: decryptAuthenticToken(body)
    case 2: parseKeys(body)
    default: checkBase64AndRoundTrip(body)
    }
    return 0
}

/// Arbitrary bytes as a token: every decoding path must throw, not crash.
func decryptArbitraryToken(_ token: UnsafeRawBufferPointer, ttlSeed: UInt8) {
    let ttl: Duration? = ttlSeed & 0x80 == 0 ? nil : .seconds(Int64(ttlSeed) * 1_000)
    _ = try? fernet.decrypt(token, ttl: ttl)
    _ = try? multiFernet.decryptWithTimestamp(token, ttl: ttl)
    _ = try? FernetToken.unverifiedTimestamp(of: token)
    _ = try? fernet.decrypt(String(decoding: token, as: UTF8.self), ttl: ttl)
}

/// Arbitrary version, timestamp, IV and ciphertext (any length) under a
/// valid HMAC, so inputs get past authentication into the length, time,
/// cipher and padding checks that forged tokens never reach.
func decryptAuthenticToken(_ fields: UnsafeRawBufferPointer) {
    var token = Array(fields)
    guard token.count >= FernetToken.ciphertextOffset else { return }
    token += [UInt8](repeating: 0, count: HMACSHA256.tagCount)
    token.withUnsafeMutableBytes { bytes in
        let signed = UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.count - HMACSHA256.tagCount)])
        signer.authenticate(signed, tag: bytes.baseAddress! + signed.count)
    }
    var encoded = [UInt8](repeating: 0, count: Base64URL.encodedCount(token.count))
    token.withUnsafeBytes { input in encoded.withUnsafeMutableBytes { Base64URL.encode(input, into: $0.baseAddress!) } }
    for ttl in [nil, Duration.seconds(60)] {
        if let (plaintext, timestamp) = try? fernet.decryptWithTimestamp(encoded, ttl: ttl) {
            // Authentic and well-padded: re-encrypting must give back the same plaintext.
            let again = try! fernet.decryptWithTimestamp(try! fernet.encrypt(plaintext))
            precondition(again.plaintext == plaintext, "round trip changed the plaintext")
            precondition(timestamp == (try! FernetToken.unverifiedTimestamp(of: encoded)), "timestamps disagree")
        }
    }
}

/// Key text and key-file contents: parse or throw, never crash.
func parseKeys(_ text: UnsafeRawBufferPointer) {
    _ = try? FernetKey(base64URL: String(decoding: text, as: UTF8.self))
    _ = try? KeyFile.parse(Array(text), path: "fuzz/owner-1.key")
}

/// base64url invariants: whatever decodes re-encodes to the same characters
/// (modulo padding), and encrypting anything decrypts back to it.
func checkBase64AndRoundTrip(_ text: UnsafeRawBufferPointer) {
    var decoded = [UInt8](repeating: 0, count: Base64URL.maximumDecodedCount(text.count))
    let decodedCount = decoded.withUnsafeMutableBytes { Base64URL.decode(text, into: $0.baseAddress!) }
    if let decodedCount {
        var encoded = [UInt8](repeating: 0, count: Base64URL.encodedCount(decodedCount))
        decoded.withUnsafeBytes { input in
            encoded.withUnsafeMutableBytes { Base64URL.encode(UnsafeRawBufferPointer(rebasing: input[..<decodedCount]), into: $0.baseAddress!) }
        }
        let unpadded = { (bytes: [UInt8]) in Array(bytes.prefix { $0 != UInt8(ascii: "=") }) }
        precondition(unpadded(encoded) == unpadded(Array(text)), "base64url is not canonical")
    }
    let plaintext = Array(text)
    precondition(try! fernet.decrypt(try! fernet.encrypt(plaintext)) == plaintext, "round trip changed the plaintext")
}
