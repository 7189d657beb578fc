/// One row of a result.
public struct PostgresRow: Sendable {
    let storage: PostgresResultStorage
    let index: Int

    /// How many columns the row has.
    public var columnCount: Int { storage.columnCount }

    /// Whether the cell is SQL NULL.
    public func isNull(column: Int) throws -> Bool {
        try checkColumn(column)
        return storage.isNull(row: index, column: column)
    }

    /// Decodes the cell at `column` (0-based) as `T`. Decode an Optional
    /// (`Int?.self`) when the column can be NULL.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, column: Int) throws -> T {
        try checkColumn(column)
        if storage.isNull(row: index, column: column) {
            guard let null = T.postgresNullValue else {
                throw PostgresError.decoding(
                    "\(describe(column)) is NULL, which is not a valid \(T.self); decode \(T.self)? if the column can be NULL"
                )
            }
            return null
        }
        let text = storage.text(row: index, column: column)
        guard let value = T(postgresText: text, type: storage.columnTypes[column]) else {
            throw PostgresError.decoding("\(describe(column)) holds \(preview(text)), which is not a valid \(T.self)")
        }
        return value
    }

    /// Decodes the cell in the column called `name` (as the server spelled it, case-sensitive).
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, column name: String) throws -> T {
        guard let column = storage.columnIndex(named: name) else {
            throw PostgresError.decoding(
                "the result has no column named \"\(name)\"; its columns are \(storage.columnNames.joined(separator: ", "))"
            )
        }
        return try decode(type, column: column)
    }

    private func checkColumn(_ column: Int) throws {
        guard column >= 0 && column < storage.columnCount else {
            throw PostgresError.decoding("column \(column) does not exist; the result has \(storage.columnCount) columns")
        }
    }

    private func describe(_ column: Int) -> String {
        "column \(column) \"\(storage.columnNames[column])\" (\(storage.columnTypes[column])) of row \(index)"
    }

    /// The found value, quoted and cut to 40 characters so an error line stays one short line.
    private func preview(_ text: String) -> String {
        let limit = 40
        return text.count <= limit ? "\"\(text)\"" : "\"\(text.prefix(limit))…\" (\(text.utf8.count) bytes)"
    }
}
