/// Well-formed UTF-8 (RFC 3629, Table 3-7 of the Unicode standard): the one
/// rule that both payload readers, `JSONParser` and `ReadingScanner`, apply to
/// every non-ASCII byte, so that they can never disagree on what is valid.
enum UTF8Scalar {
    enum Failure: Error {
        case invalidLead(UInt8)
        case truncated
        case invalidContinuation
    }

    /// The length (2...4) of the well-formed multi-byte scalar that starts at
    /// `index`, or why there is none: overlong forms, surrogates, code points
    /// past U+10FFFF and truncated sequences all fail.
    static func multiByteLength<Bytes: RandomAccessCollection<UInt8>>(
        at index: Int, in bytes: Bytes
    ) -> Result<Int, Failure> where Bytes.Index == Int {
        let lead = bytes[index]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: return .failure(.invalidLead(lead))
        }
        guard index + length <= bytes.endIndex else { return .failure(.truncated) }
        guard secondRange.contains(bytes[index + 1]) else { return .failure(.invalidContinuation) }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) {
            return .failure(.invalidContinuation)
        }
        return .success(length)
    }
}
