/// The C arrays `PQexecPrepared` takes, built from a query's binds.
///
/// All values are copied into one allocation (text NUL-terminated, as libpq
/// requires for text-format parameters) instead of one `strdup` each, and the
/// memory lives exactly as long as the call that reads it.
enum BoundParameters {
    /// The parameter types, as `PQprepare` wants them; 0 lets the server infer one.
    static func types(of binds: [PostgresValue?]) -> [UInt32] {
        binds.map { $0?.type.oid ?? 0 }
    }

    /// Checks what the server would otherwise truncate silently: a NUL byte
    /// ends a C string, so text containing one would lose its tail.
    static func validate(_ query: PostgresQuery) throws {
        if query.sql.utf8.contains(0) {
            throw PostgresError.invalidQuery(
                "the SQL text contains a NUL character",
                advice: "remove the NUL character from the statement",
                query: query.sql
            )
        }
        if query.binds.count > Int(UInt16.max) {
            throw PostgresError.invalidQuery(
                "the statement has \(query.binds.count) parameters; PostgreSQL accepts at most 65535",
                advice: "send the rows in smaller batches or with copyIn",
                query: query.sql
            )
        }
        for (index, bind) in query.binds.enumerated() {
            if case .text(let text)? = bind?.payload, text.utf8.contains(0) {
                throw PostgresError.invalidQuery(
                    "parameter $\(index + 1) contains a NUL character, which PostgreSQL text cannot store",
                    advice: "send binary data as [UInt8] into a bytea column",
                    query: query.sql
                )
            }
        }
    }

    /// Calls `body` with the values, lengths and formats arrays for `binds`.
    static func withCArrays<R>(
        _ binds: [PostgresValue?],
        _ body: (
            _ values: UnsafePointer<UnsafePointer<CChar>?>?,
            _ lengths: UnsafePointer<Int32>?,
            _ formats: UnsafePointer<Int32>?
        ) throws -> R
    ) rethrows -> R {
        if binds.isEmpty { return try body(nil, nil, nil) }
        var total = 0
        for bind in binds {
            switch bind?.payload {
            case .text(let text)?: total += text.utf8.count + 1
            case .binary(let bytes)?: total += bytes.count
            case nil: break
            }
        }
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(total, 1), alignment: 1)
        defer { storage.deallocate() }
        var offsets: [Int?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        offsets.reserveCapacity(binds.count)
        lengths.reserveCapacity(binds.count)
        formats.reserveCapacity(binds.count)
        var offset = 0
        for bind in binds {
            switch bind?.payload {
            case .text(var text)?:
                let count = text.withUTF8 { utf8 in
                    if let source = utf8.baseAddress, utf8.count > 0 {
                        storage.baseAddress!.advanced(by: offset).copyMemory(from: source, byteCount: utf8.count)
                    }
                    return utf8.count
                }
                storage[offset + count] = 0
                offsets.append(offset)
                lengths.append(Int32(count))
                formats.append(0)
                offset += count + 1
            case .binary(let bytes)?:
                bytes.withUnsafeBytes { raw in
                    if let source = raw.baseAddress, raw.count > 0 {
                        storage.baseAddress!.advanced(by: offset).copyMemory(from: source, byteCount: raw.count)
                    }
                }
                offsets.append(offset)
                lengths.append(Int32(bytes.count))
                formats.append(1)
                offset += bytes.count
            case nil:
                offsets.append(nil)
                lengths.append(0)
                formats.append(0)
            }
        }
        let base = storage.baseAddress!.assumingMemoryBound(to: CChar.self)
        let pointers: [UnsafePointer<CChar>?] = offsets.map { $0.map { UnsafePointer(base + $0) } }
        return try pointers.withUnsafeBufferPointer { values in
            try lengths.withUnsafeBufferPointer { lengths in
                try formats.withUnsafeBufferPointer { formats in
                    try body(values.baseAddress, lengths.baseAddress, formats.baseAddress)
                }
            }
        }
    }
}
