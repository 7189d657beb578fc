/// Table-driven base64url (RFC 4648 §5) over raw byte buffers.
///
/// Every Fernet token and key is base64url, and on the hot path Foundation's
/// `Data(base64Encoded:)` plus the `Data`/`String` copies around it cost about
/// 25 times what the cipher and HMAC do. These loops read and write caller-owned
/// buffers and allocate nothing. Encoding looks up two characters per 12 bits
/// and writes eight characters per 8-byte store; decoding looks up each
/// character in a table of values already shifted into place, so a group of
/// four is four loads and three ORs, and checks validity once at the end.
/// Together that is about half the cost of the byte-at-a-time loops.
///
/// Encoding always pads with `=`, as the Fernet spec's tokens and keys are.
/// Decoding is strict about the alphabet and canonical form but lenient about
/// padding: `=` padding may be present (then the length must be a multiple of
/// 4) or absent, since some Fernet libraries strip it. Characters outside the
/// url-safe alphabet (including `+`, `/`, whitespace) and non-zero leftover
/// bits in the last character are rejected, so each byte string has exactly
/// one accepted padded and one unpadded spelling.
enum Base64URL {
    /// The 64 url-safe characters, indexed by 6-bit value.
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// For each 12-bit value, its two characters, first character in the low byte.
    private static let characterPairs: [UInt16] = (0..<4096).map { value in
        UInt16(alphabet[value >> 6]) | UInt16(alphabet[value & 0x3F]) << 8
    }

    /// Set in every table entry of a byte outside the alphabet; no valid
    /// group of 24 bits reaches these bits.
    private static let invalidMark: UInt32 = 0xFF00_0000

    /// Four 256-entry tables, one per position in a group of four characters:
    /// entry `position * 256 + character` is the character's 6-bit value
    /// shifted to where that position's bits go in the 24-bit group.
    private static let shiftedValues: [UInt32] = {
        var table = [UInt32](repeating: invalidMark, count: 4 * 256)
        for (value, character) in alphabet.enumerated() {
            for position in 0..<4 {
                table[position * 256 + Int(character)] = UInt32(value) << (6 * (3 - position))
            }
        }
        return table
    }()

    /// The padded encoded length of `count` bytes.
    @inline(__always)
    static func encodedCount(_ count: Int) -> Int {
        (count + 2) / 3 * 4
    }

    /// An upper bound on the decoded length of `count` characters.
    @inline(__always)
    static func maximumDecodedCount(_ count: Int) -> Int {
        (count + 3) / 4 * 3
    }

    /// Writes `encodedCount(input.count)` characters to `output`.
    static func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawPointer) {
        characterPairs.withUnsafeBufferPointer { pairs in
            let source = input.baseAddress ?? UnsafeRawPointer(output)
            let count = input.count
            var read = 0
            var written = 0
            // Six bytes (read as eight) become eight characters in one store.
            while read + 8 <= count {
                let bits = UInt64(bigEndian: source.loadUnaligned(fromByteOffset: read, as: UInt64.self))
                let characters = UInt64(pairs[Int(bits >> 52)])
                    | UInt64(pairs[Int(bits >> 40 & 0xFFF)]) << 16
                    | UInt64(pairs[Int(bits >> 28 & 0xFFF)]) << 32
                    | UInt64(pairs[Int(bits >> 16 & 0xFFF)]) << 48
                output.storeBytes(of: characters.littleEndian, toByteOffset: written, as: UInt64.self)
                read += 6
                written += 8
            }
            while read + 3 <= count {
                let group = Int(source.load(fromByteOffset: read, as: UInt8.self)) << 16
                    | Int(source.load(fromByteOffset: read + 1, as: UInt8.self)) << 8
                    | Int(source.load(fromByteOffset: read + 2, as: UInt8.self))
                output.storeBytes(of: pairs[group >> 12].littleEndian, toByteOffset: written, as: UInt16.self)
                output.storeBytes(of: pairs[group & 0xFFF].littleEndian, toByteOffset: written + 2, as: UInt16.self)
                read += 3
                written += 4
            }
            let remaining = count - read
            guard remaining > 0 else { return }
            var group = Int(source.load(fromByteOffset: read, as: UInt8.self)) << 16
            if remaining == 2 {
                group |= Int(source.load(fromByteOffset: read + 1, as: UInt8.self)) << 8
            }
            output.storeBytes(of: pairs[group >> 12].littleEndian, toByteOffset: written, as: UInt16.self)
            let third = remaining == 2 ? UInt8(truncatingIfNeeded: pairs[group & 0xFFF]) : UInt8(ascii: "=")
            output.storeBytes(of: third, toByteOffset: written + 2, as: UInt8.self)
            output.storeBytes(of: UInt8(ascii: "="), toByteOffset: written + 3, as: UInt8.self)
        }
    }

    /// Decodes `input` into `output`, which must hold `maximumDecodedCount(input.count)`
    /// bytes. Returns the decoded length, or nil if `input` is not canonical base64url.
    static func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawPointer) -> Int? {
        guard let source = input.baseAddress else { return 0 }
        var count = input.count
        if count % 4 == 0, count > 0, source.load(fromByteOffset: count - 1, as: UInt8.self) == UInt8(ascii: "=") {
            count -= 1
            if source.load(fromByteOffset: count - 1, as: UInt8.self) == UInt8(ascii: "=") {
                count -= 1
            }
        }
        let remaining = count % 4
        guard remaining != 1 else { return nil }
        return shiftedValues.withUnsafeBufferPointer { table -> Int? in
            @inline(__always)
            func group(_ characters: UInt32) -> UInt32 {
                table[Int(characters & 0xFF)]
                    | table[256 + Int(characters >> 8 & 0xFF)]
                    | table[512 + Int(characters >> 16 & 0xFF)]
                    | table[768 + Int(characters >> 24)]
            }
            var marks: UInt32 = 0
            var read = 0
            var written = 0
            // The wide stores below write past the group's 3 bytes; the loop
            // conditions leave a later group to overwrite them, inside `output`.
            while read + 12 <= count {
                let characters = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: read, as: UInt64.self))
                let first = group(UInt32(truncatingIfNeeded: characters))
                let second = group(UInt32(truncatingIfNeeded: characters >> 32))
                marks |= first | second
                output.storeBytes(of: (UInt64(first) << 40 | UInt64(second) << 16).bigEndian, toByteOffset: written, as: UInt64.self)
                read += 8
                written += 6
            }
            while read + 8 <= count {
                let bits = group(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: read, as: UInt32.self)))
                marks |= bits
                output.storeBytes(of: (bits << 8).bigEndian, toByteOffset: written, as: UInt32.self)
                read += 4
                written += 3
            }
            if read + 4 <= count {
                let bits = group(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: read, as: UInt32.self)))
                marks |= bits
                store(bits, byteCount: 3, to: output + written)
                read += 4
                written += 3
            }
            if remaining >= 2 {
                let bits = table[Int(source.load(fromByteOffset: read, as: UInt8.self))]
                    | table[256 + Int(source.load(fromByteOffset: read + 1, as: UInt8.self))]
                    | (remaining == 3 ? table[512 + Int(source.load(fromByteOffset: read + 2, as: UInt8.self))] : 0)
                marks |= bits
                // Canonical form: the bits below the last whole byte are zero.
                let leftover: UInt32 = remaining == 2 ? 0xFFFF : 0xFF
                marks |= bits & leftover == 0 ? 0 : invalidMark
                store(bits, byteCount: remaining - 1, to: output + written)
                written += remaining - 1
            }
            return marks & invalidMark == 0 ? written : nil
        }
    }

    /// Stores the top `byteCount` of a 24-bit group's three bytes, one at a time.
    @inline(__always)
    private static func store(_ bits: UInt32, byteCount: Int, to output: UnsafeMutableRawPointer) {
        for index in 0..<byteCount {
            output.storeBytes(of: UInt8(truncatingIfNeeded: bits >> (16 - 8 * index)), toByteOffset: index, as: UInt8.self)
        }
    }
}
