/// The rows a statement returned, plus what the server said about it.
///
/// A random-access collection of `PostgresRow`; iterate it, index it, or
/// take `first`. All rows stay valid for as long as any of them is kept.
public struct PostgresRows: RandomAccessCollection, Sendable {
    let storage: PostgresResultStorage

    init(storage: PostgresResultStorage) { self.storage = storage }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.rowCount }

    public subscript(position: Int) -> PostgresRow {
        precondition(indices.contains(position), "row \(position) is out of range 0..<\(storage.rowCount)")
        return PostgresRow(storage: storage, index: position)
    }

    /// The result's column names, in order.
    public var columnNames: [String] { storage.columnNames }

    /// The type of each column, in order.
    public var columnTypes: [PostgresDataType] { storage.columnTypes }

    /// Rows inserted, updated, deleted, selected or copied (from the command tag).
    public var rowsAffected: Int { storage.rowsAffected }

    /// The server's command tag, e.g. `INSERT 0 3`.
    public var commandTag: String { storage.commandTag }
}
