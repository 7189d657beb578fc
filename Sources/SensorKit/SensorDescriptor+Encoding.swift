/// Writing a reading as its JSON payload, through ``ReadingEncoder``: it
/// validates first, so a malformed reading can never reach the wire.
extension SensorDescriptor {
    /// The payload of `reading` as UTF-8 JSON bytes.
    public func encode(_ reading: Reading) throws(ReadingValidationError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(320)
        try encode(reading, into: &bytes)
        return bytes
    }

    /// Appends the payload of `reading` to `bytes`; on a validation error
    /// nothing is appended. For many readings of one kind keep a
    /// ``ReadingEncoder``, which encodes the kind's fixed bytes once.
    public func encode(_ reading: Reading, into bytes: inout [UInt8]) throws(ReadingValidationError) {
        try ReadingEncoder(self).encode(reading, into: &bytes)
    }
}
