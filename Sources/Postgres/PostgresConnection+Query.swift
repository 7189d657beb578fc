internal import CLibPQ

extension PostgresConnection {
    /// Runs a statement and returns its rows. Every interpolated value is sent
    /// as a bind parameter; see `PostgresQuery`.
    ///
    /// The statement is prepared on first use and reused from this
    /// connection's cache afterwards. A task that is already cancelled does
    /// not start the statement.
    @discardableResult
    public func query(_ query: PostgresQuery) throws -> PostgresRows {
        PostgresRows(storage: try run(query))
    }

    /// Runs a statement that returns no rows and returns how many rows it
    /// inserted, updated or deleted.
    @discardableResult
    public func execute(_ query: PostgresQuery) throws -> Int {
        try run(query).rowsAffected
    }

    /// Runs several `;`-separated statements in one round trip with the simple
    /// query protocol, e.g. a schema migration. A `StaticString` cannot be
    /// interpolated, so no value can be spliced into it.
    public func executeScript(_ script: StaticString) throws {
        try executeScript(unsafeSQL: script.description)
    }

    /// Runs several `;`-separated statements from a string built at run time
    /// (e.g. a migration file). The caller guarantees it contains no user
    /// data: scripts cannot take parameters.
    public func executeScript(unsafeSQL script: String) throws {
        try Task.checkCancellation()
        try BoundParameters.validate(PostgresQuery(unsafeSQL: script))
        let connection = try connectedHandle()
        try libpq(connection, query: script) { PQexec(connection, script) }
    }

    /// Runs a fixed statement of this module (BEGIN, COMMIT, ROLLBACK) without
    /// the cancellation check, so a cancelled task can still end its transaction.
    @discardableResult
    func runControl(_ sql: StaticString) throws -> PostgresResultStorage {
        let connection = try connectedHandle()
        let text = sql.description
        return try libpq(connection, query: text) { PQexec(connection, text) }
    }

    /// Prepares (or reuses) the statement and executes it with the binds.
    private func run(_ query: PostgresQuery) throws -> PostgresResultStorage {
        try Task.checkCancellation()
        try BoundParameters.validate(query)
        let connection = try connectedHandle()
        let key = PreparedStatementCache.Key(sql: query.sql, types: BoundParameters.types(of: query.binds))
        do {
            return try executePrepared(key, binds: query.binds, on: connection)
        } catch let error as PostgresError where error.sqlState == "26000" && PQtransactionStatus(connection) == PQTRANS_IDLE {
            // The session lost its prepared statements (DISCARD ALL or
            // DEALLOCATE ALL ran); none of the cached names is valid any more.
            statements.removeAll()
            return try executePrepared(key, binds: query.binds, on: connection)
        }
    }

    private func executePrepared(
        _ key: PreparedStatementCache.Key,
        binds: [PostgresValue?],
        on connection: OpaquePointer
    ) throws -> PostgresResultStorage {
        let name = try preparedStatementName(for: key, on: connection)
        return try BoundParameters.withCArrays(binds) { values, lengths, formats in
            try libpq(connection, query: key.sql) {
                PQexecPrepared(connection, name, Int32(binds.count), values, lengths, formats, 0)
            }
        }
    }

    private func preparedStatementName(for key: PreparedStatementCache.Key, on connection: OpaquePointer) throws -> String {
        if let name = statements.name(for: key) { return name }
        let name = statements.makeName()
        try key.types.withUnsafeBufferPointer { types in
            _ = try libpq(connection, query: key.sql) {
                PQprepare(connection, name, key.sql, Int32(types.count), types.baseAddress)
            }
        }
        if let evicted = statements.insert(key, name: name) {
            // Best effort: a failed DEALLOCATE only leaves one unused statement
            // on the server until the session ends, and must not fail the
            // statement the caller asked for, which has not even run yet.
            let deallocate = "DEALLOCATE \(quoteIdentifier(evicted))"
            _ = try? libpq(connection, query: deallocate) { PQexec(connection, deallocate) }
        }
        return name
    }
}
