internal import CLibPQ

/// Owns one `PGresult` and frees it when the last `PostgresRows` or
/// `PostgresRow` that reads from it is gone.
///
/// Rows read their cells straight out of the result instead of copying every
/// value into Swift strings up front, so a row that is never decoded costs
/// nothing. libpq documents a `PGresult` as read-only once created and safe to
/// read from any thread, which is what makes the `@unchecked Sendable` sound.
final class PostgresResultStorage: @unchecked Sendable {
    private let result: OpaquePointer
    let rowCount: Int
    let columnNames: [String]
    let columnTypes: [PostgresDataType]
    /// The first column with each name, like SQL's own resolution of `SELECT a, a`.
    private let columnIndexByName: [String: Int]

    init(owning result: OpaquePointer) {
        self.result = result
        rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var names: [String] = []
        var types: [PostgresDataType] = []
        var indexByName: [String: Int] = [:]
        for column in 0..<columnCount {
            // A COPY result has columns without names.
            let name = PQfname(result, Int32(column)).map { String(cString: $0) } ?? ""

            names.append(name)
            types.append(PostgresDataType(oid: UInt32(PQftype(result, Int32(column)))))
            if indexByName[name] == nil { indexByName[name] = column }
        }
        columnNames = names
        columnTypes = types
        columnIndexByName = indexByName
    }

    deinit { PQclear(result) }

    var columnCount: Int { columnNames.count }

    func columnIndex(named name: String) -> Int? { columnIndexByName[name] }

    func isNull(row: Int, column: Int) -> Bool {
        PQgetisnull(result, Int32(row), Int32(column)) == 1
    }

    /// The cell's text; its length comes from libpq, so no `strlen` per cell.
    func text(row: Int, column: Int) -> String {
        let length = Int(PQgetlength(result, Int32(row), Int32(column)))
        guard let start = PQgetvalue(result, Int32(row), Int32(column)), length > 0 else { return "" }
        return start.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    /// The command tag, e.g. `INSERT 0 3` or `SELECT 10`.
    var commandTag: String { String(cString: PQcmdStatus(result)) }

    /// Rows inserted, updated, deleted, selected or copied; 0 for other commands.
    var rowsAffected: Int { Int(String(cString: PQcmdTuples(result))) ?? 0 }
}
