import NIOCore
import Redis

extension ByteBuffer {
    /// Writes one command as Redis expects it from a client: a RESP array of
    /// bulk strings (`*2\r\n$4\r\nPING\r\n...`), so every argument is
    /// binary-safe and no text is ever interpreted.
    public mutating func writeRESPCommand(_ arguments: [RedisArgument]) {
        writeRESPHeader(UInt8(ascii: "*"), arguments.count)
        for argument in arguments {
            argument.withUnsafeBytes { bytes in
                writeRESPHeader(UInt8(ascii: "$"), bytes.count)
                writeBytes(bytes)
                writeRESPLineEnd()
            }
        }
    }

    /// `<type><decimal count>\r\n`. A count of up to 15 digits is a small
    /// string, stored inline: no allocation.
    private mutating func writeRESPHeader(_ type: UInt8, _ count: Int) {
        writeInteger(type)
        writeString(String(count))
        writeRESPLineEnd()
    }

    private mutating func writeRESPLineEnd() {
        writeInteger(UInt16(0x0D0A), endianness: .big)
    }
}
