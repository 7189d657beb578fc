internal import CLibPQ

extension PostgresConnection {
    /// How many bytes of COPY data are sent per `PQputCopyData` call: large
    /// enough that the per-call and per-`write(2)` costs vanish, small enough
    /// to stay in cache.
    static let copyChunkSize = 1 << 16

    /// Loads rows into `table` with `COPY … FROM STDIN` and returns how many
    /// rows the server stored.
    ///
    /// Each row holds one text value per column, in PostgreSQL's input syntax
    /// for the column's type (`"42"`, `"2024-05-01 12:00:00+00"`, `"t"`); nil
    /// is NULL. Values are escaped for COPY's text format, so tabs, newlines
    /// and backslashes arrive unchanged. Rows are encoded into 64 KiB chunks,
    /// not sent one by one. COPY is all or nothing: if any row is rejected
    /// (here or by the server) no row is stored.
    ///
    /// - Parameters:
    ///   - table: the table's name; quoted, so it is matched case-sensitively.
    ///   - schema: the table's schema, or nil for the search path.
    ///   - columns: the columns each row fills, in order.
    @discardableResult
    public func copyIn<Rows: Sequence>(
        table: String,
        schema: String? = nil,
        columns: [String],
        rows: sending Rows
    ) throws -> Int where Rows.Element == [String?] {
        try Task.checkCancellation()
        guard !columns.isEmpty else {
            throw PostgresError.invalidQuery("copyIn was given no columns", advice: "name the columns the rows fill")
        }
        let connection = try connectedHandle()
        let target = (schema.map { quoteIdentifier($0) + "." } ?? "") + quoteIdentifier(table)
        let sql = "COPY \(target) (\(columns.map(quoteIdentifier).joined(separator: ", "))) FROM STDIN"
        try libpq(connection, query: sql, expecting: .copyIn) { PQexec(connection, sql) }

        do {
            try sendCopyData(rows, columns: columns, on: connection)
        } catch {
            abortCopy(on: connection)
            throw error
        }
        defer { discardRemainingResults(on: connection) }
        try libpq(connection, doing: "finishing a COPY") { PQputCopyEnd(connection, nil) }
        return try libpq(connection, query: sql) { PQgetResult(connection) }.rowsAffected
    }

    private func sendCopyData<Rows: Sequence>(
        _ rows: Rows,
        columns: [String],
        on connection: OpaquePointer
    ) throws where Rows.Element == [String?] {
        let chunkSize = Self.copyChunkSize
        var encoder = CopyTextEncoder(capacity: chunkSize + chunkSize / 4)
        for (rowIndex, row) in rows.enumerated() {
            guard row.count == columns.count else {
                throw PostgresError(
                    code: .copyFailed,
                    message: "row \(rowIndex) has \(row.count) values but \(columns.count) columns were named",
                    advice: "give every row one value (or nil) per column"
                )
            }
            if let column = encoder.appendRow(row) {
                throw PostgresError(
                    code: .copyFailed,
                    message: "row \(rowIndex), column \"\(columns[column])\" contains a NUL character, which COPY text cannot carry",
                    advice: "remove NUL characters, or store binary data in a bytea column with query()"
                )
            }
            if encoder.count >= chunkSize {
                try Task.checkCancellation()
                try send(encoder.bytes, on: connection)
                encoder.removeAll()
            }
        }
        if encoder.count > 0 { try send(encoder.bytes, on: connection) }
    }

    private func send(_ chunk: [UInt8], on connection: OpaquePointer) throws {
        try chunk.withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { chars in
                try libpq(connection, doing: "sending COPY data") {
                    PQputCopyData(connection, chars.baseAddress, Int32(chars.count))
                }
            }
        }
    }

    /// Tells the server to discard the COPY (so no row is stored) and waits
    /// for it to confirm, leaving the connection ready for the next statement.
    private func abortCopy(on connection: OpaquePointer) {
        _ = PQputCopyEnd(connection, "hearth aborted the COPY on the client side")
        discardRemainingResults(on: connection)
    }

    /// Reads and frees results until libpq has none left. Stops at a result
    /// that would repeat forever (still in COPY state) or on a dead connection.
    private func discardRemainingResults(on connection: OpaquePointer) {
        while let result = PQgetResult(connection) {
            let status = PQresultStatus(result)
            PQclear(result)
            if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || PQstatus(connection) == CONNECTION_BAD { break }
        }
    }
}
