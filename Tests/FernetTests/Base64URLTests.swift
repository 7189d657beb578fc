@testable import Fernet
import Foundation
import Testing

/// The hand-written base64url against Foundation's, as an independent oracle.
@Suite("Base64URL")
struct Base64URLTests {
    private func encode(_ bytes: [UInt8]) -> String {
        var output = [UInt8](repeating: 0, count: Base64URL.encodedCount(bytes.count))
        bytes.withUnsafeBytes { input in output.withUnsafeMutableBytes { Base64URL.encode(input, into: $0.baseAddress!) } }
        return String(decoding: output, as: UTF8.self)
    }

    private func decode(_ text: String) -> [UInt8]? {
        decode(bytes: Array(text.utf8))
    }

    private func decode(bytes input: [UInt8]) -> [UInt8]? {
        var output = [UInt8](repeating: 0, count: Base64URL.maximumDecodedCount(input.count))
        let count = input.withUnsafeBytes { input in output.withUnsafeMutableBytes { Base64URL.decode(input, into: $0.baseAddress!) } }
        return count.map { Array(output.prefix($0)) }
    }

    @Test("encoding matches Foundation and decoding inverts it, padded and unpadded, at every length up to 300")
    func matchesFoundation() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...300 {
            let bytes = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let expected = TokenSurgery.encode(bytes)
            #expect(encode(bytes) == expected, "length \(length)")
            #expect(decode(expected) == bytes, "length \(length)")
            #expect(decode(String(expected.prefix { $0 != "=" })) == bytes, "unpadded, length \(length)")
        }
    }

    @Test("every one of the 256 byte values round-trips in every position of a group")
    func allByteValues() {
        for shift in 0..<3 {
            let bytes = [UInt8](repeating: 0, count: shift) + (0...255).map { UInt8($0) }
            #expect(decode(encode(bytes)) == bytes)
        }
    }

    @Test("any byte outside the alphabet, anywhere, is rejected")
    func rejectsForeignBytes() {
        let valid = Array(encode((0..<96).map { UInt8($0) }).utf8)
        #expect(valid.count == 128)
        let alphabet = Set(Base64URL.alphabet)
        for position in [0, 1, 2, 3, 17, 63, 64, 100, 125] {
            for byte in UInt8.min...UInt8.max where !alphabet.contains(byte) {
                var corrupted = valid
                corrupted[position] = byte
                #expect(decode(bytes: corrupted) == nil, "byte \(byte) at \(position)")
            }
        }
    }

    @Test("lengths of 1 mod 4, stray padding and non-canonical tails are rejected")
    func rejectsMalformed() {
        #expect(decode("A") == nil)
        #expect(decode("AAAAA") == nil)
        #expect(decode("AA=") == nil)
        #expect(decode("A===") == nil)
        #expect(decode("AB==") == nil)
        #expect(decode("AAB=") == nil)
        #expect(decode("AA==") == [0])
        #expect(decode("AAA=") == [0, 0])
        #expect(decode("") == [])
    }
}
