import SensorKit

/// A response body written straight to JSON bytes with SensorKit's
/// ``JSONWriter``, for the routes that run thousands of times a second.
///
/// Foundation's `JSONEncoder` builds a tree of boxed values and hashes every
/// key on the way; for `/houses/{id}/data` that was 30% of the server's CPU,
/// more than decrypting and parsing the six readings. The other routes stay
/// `Encodable`: they are not hot, and one encoder keeps them uniform.
protocol JSONWritable {
    func write(to json: inout JSONWriter)
}

extension JSONWritable {
    /// The value as one line of compact JSON.
    var jsonBytes: [UInt8] {
        var json = JSONWriter(capacity: 512)
        write(to: &json)
        return json.bytes
    }
}
