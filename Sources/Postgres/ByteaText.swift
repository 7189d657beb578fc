/// PostgreSQL's two text forms of `bytea`.
enum ByteaText {
    static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        if utf8.starts(with: [0x5C, 0x78]) { return decodeHex(utf8.dropFirst(2)) }
        return decodeEscape(utf8)
    }

    /// `\x0a1b…`: two hex digits per byte.
    private static func decodeHex(_ digits: ArraySlice<UInt8>) -> [UInt8]? {
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = digits.startIndex
        while index < digits.endIndex {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// Printable bytes as themselves, `\\` for a backslash, `\nnn` (octal) for the rest.
    private static func decodeEscape(_ text: [UInt8]) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            guard text[index] == 0x5C else { bytes.append(text[index]); index += 1; continue }
            if index + 1 < text.count, text[index + 1] == 0x5C { bytes.append(0x5C); index += 2; continue }
            guard index + 3 < text.count else { return nil }
            var value: UInt16 = 0
            for digit in text[(index + 1)...(index + 3)] {
                guard (0x30...0x37).contains(digit) else { return nil }
                value = value * 8 + UInt16(digit - 0x30)
            }
            guard value <= 255 else { return nil }
            bytes.append(UInt8(value))
            index += 4
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 0x30...0x39: return digit - 0x30
        case 0x61...0x66: return digit - 0x61 + 10
        case 0x41...0x46: return digit - 0x41 + 10
        default: return nil
        }
    }
}
