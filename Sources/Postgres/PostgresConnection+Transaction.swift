extension PostgresConnection {
    /// Runs `body` inside a transaction: COMMIT when it returns, ROLLBACK when
    /// it throws (the error is then rethrown).
    ///
    /// ```swift
    /// try await connection.withTransaction { tx in
    ///     try await tx.execute("INSERT INTO houses (name) VALUES (\(name))")
    ///     try await tx.execute("INSERT INTO house_users (house_id, user_id) VALUES (\(house), \(user))")
    /// }
    /// ```
    ///
    /// The body runs in the caller's isolation and gets this connection as
    /// `tx`. Transactions do not nest: calling this inside another transaction
    /// throws. If a statement in the body failed but the body caught the error
    /// and returned, PostgreSQL has already aborted the transaction; COMMIT then
    /// rolls back, and this throws `.transactionRolledBack` rather than report
    /// a commit that did not happen.
    public func withTransaction<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (_ tx: PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await begin()
        let result: Result
        do {
            result = try await body(self)
        } catch {
            await rollBackAfterFailure()
            throw error
        }
        try await commit()
        return result
    }

    private func begin() throws {
        if isInTransaction {
            throw PostgresError.invalidQuery(
                "withTransaction was called while a transaction is already open on this connection",
                advice: "do not nest withTransaction; use SAVEPOINT inside the outer transaction instead"
            )
        }
        try runControl("BEGIN")
    }

    private func commit() throws {
        let result = try runControl("COMMIT")
        if result.commandTag == "ROLLBACK" {
            throw PostgresError(
                code: .transactionRolledBack,
                message: "COMMIT rolled the transaction back because a statement inside it had failed"
            )
        }
    }

    /// Rolls back after the body threw. Its own failure is not reported: the
    /// body's error is the one the caller needs, and if the connection is gone
    /// the server has rolled the transaction back already.
    private func rollBackAfterFailure() {
        _ = try? runControl("ROLLBACK")
    }
}
