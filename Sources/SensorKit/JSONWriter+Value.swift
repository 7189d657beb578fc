/// Writing whole `JSONValue` documents: compact for machines, indented with
/// two spaces for files people read and diff (the committed schemas).
extension JSONWriter {
    public mutating func value(_ value: JSONValue, indent: Int? = nil) {
        write(value, indent: indent, depth: 0)
    }

    private mutating func newline(_ indent: Int?, _ depth: Int) {
        guard let indent else { return }
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * depth))
    }

    private mutating func write(_ value: JSONValue, indent: Int?, depth: Int) {
        switch value {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let flag): bool(flag)
        case .integer(let number): integer(number)
        case .number(let number): self.number(number)
        case .string(let text): string(text)
        case .array(let items):
            guard !items.isEmpty else { return bytes.append(contentsOf: "[]".utf8) }
            byte("[")
            var first = true
            for item in items {
                comma(&first)
                newline(indent, depth + 1)
                write(item, indent: indent, depth: depth + 1)
            }
            newline(indent, depth)
            byte("]")
        case .object(let members):
            guard !members.isEmpty else { return bytes.append(contentsOf: "{}".utf8) }
            byte("{")
            var first = true
            for member in members {
                comma(&first)
                newline(indent, depth + 1)
                key(member.key)
                if indent != nil { byte(" ") }
                write(member.value, indent: indent, depth: depth + 1)
            }
            newline(indent, depth)
            byte("}")
        }
    }
}

extension JSONValue {
    /// The document as UTF-8 text; `indent` spaces per level, or compact.
    public func serialized(indent: Int? = nil) -> String {
        var writer = JSONWriter()
        writer.value(self, indent: indent)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
