/// Writes rows in `COPY … FROM STDIN`'s text format into one byte buffer.
///
/// The format is one line per row, fields separated by tabs, `\N` for NULL,
/// and a backslash escape for the four bytes that would otherwise end a field
/// or a row or start an escape: backslash, tab, newline and carriage return.
/// Runs of ordinary bytes are copied in bulk, so a row of plain text costs
/// little more than a `memcpy`; the connection sends the buffer in large
/// chunks rather than once per row.
struct CopyTextEncoder {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    /// Appends one row. Returns the index of a column whose value cannot be
    /// written (it contains a NUL byte), leaving a partial row behind; the
    /// COPY is aborted then anyway. Returns nil on success.
    mutating func appendRow(_ fields: [String?]) -> Int? {
        for (column, field) in fields.enumerated() {
            if column > 0 { bytes.append(0x09) }
            guard var field else {
                bytes.append(0x5C)
                bytes.append(0x4E)
                continue
            }
            let ok = field.withUTF8 { appendEscaped($0) }
            if !ok { return column }
        }
        bytes.append(0x0A)
        return nil
    }

    /// Empties the buffer and keeps its memory for the next chunk.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }

    /// Appends `utf8` with COPY's escapes. Returns false for a NUL byte, which
    /// the text format cannot carry at all.
    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            // One comparison for nearly every byte: only backslash and
            // control characters can need an escape.
            guard byte < 0x20 || byte == 0x5C else { continue }
            let escaped: UInt8
            switch byte {
            case 0x5C: escaped = 0x5C  // \\
            case 0x09: escaped = 0x74  // \t
            case 0x0A: escaped = 0x6E  // \n
            case 0x0D: escaped = 0x72  // \r
            case 0x00: return false
            default: continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            bytes.append(0x5C)
            bytes.append(escaped)
            runStart = index + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        return true
    }
}
