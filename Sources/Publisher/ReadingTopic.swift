/// `houses/{h}/sensors/{s}`, written with one allocation.
///
/// The publisher makes a topic for every message; string interpolation costs
/// several appends and a possible regrowth each time, and keeping a String
/// per sensor would cost tens of megabytes for a large estate.
enum ReadingTopic {
    private static let housesPrefix: StaticString = "houses/"
    private static let sensorsInfix: StaticString = "/sensors/"
    /// Both prefixes and two 19-digit numbers.
    static let maximumLength = 7 + 9 + 2 * 20

    static func string(house: Int, sensor: Int) -> String {
        String(unsafeUninitializedCapacity: maximumLength) { buffer in
            write(house: house, sensor: sensor, into: buffer)
        }
    }

    static func bytes(house: Int, sensor: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: maximumLength) { buffer, count in
            count = write(house: house, sensor: sensor, into: buffer)
        }
    }

    private static func write(house: Int, sensor: Int, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var index = 0
        func append(_ text: StaticString) {
            text.withUTF8Buffer { utf8 in
                for byte in utf8 {
                    buffer[index] = byte
                    index += 1
                }
            }
        }
        func append(_ number: Int) {
            precondition(number >= 0, "ids are positive")
            var digits = 1
            var rest = number / 10
            while rest > 0 {
                digits += 1
                rest /= 10
            }
            var value = number
            for position in stride(from: index + digits - 1, through: index, by: -1) {
                buffer[position] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
            index += digits
        }
        append(housesPrefix)
        append(house)
        append(sensorsInfix)
        append(sensor)
        return index
    }
}
