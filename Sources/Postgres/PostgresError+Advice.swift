extension PostgresError {
    /// What a person should do next, chosen from the SQLSTATE (most specific
    /// first, then its two-character class) or, without one, from the code.
    /// The server's own hint wins over this when it sent one.
    static func advice(code: Code, sqlState: String?) -> String? {
        if let sqlState {
            if let specific = adviceByState[sqlState] { return specific }
            if let general = adviceByClass[String(sqlState.prefix(2))] { return general }
        }
        switch code {
        case .connectionFailed:
            return "check that the server is running and that the URL's host, port, user, password and database are right"
        case .connectionClosed:
            return "open a new connection (PostgresPool replaces broken connections by itself)"
        case .decoding:
            return "decode the column as the type it holds, or as an Optional if it can be NULL"
        case .transactionRolledBack:
            return "find the statement that failed inside the transaction and run the transaction again"
        case .unexpectedResult:
            return "do not share one connection between a COPY and other statements; use a pool"
        case .poolClosed:
            return "stop using the pool after close()"
        default:
            return nil
        }
    }

    private static let adviceByState: [String: String] = [
        "23505": "the row already exists; change the key or use INSERT … ON CONFLICT",
        "23503": "insert the referenced row first, or delete the referencing rows first",
        "23502": "give the column a value or make it nullable",
        "42601": "fix the SQL syntax near the position the server reported",
        "42P01": "create the table first (run the schema migration) or fix its name",
        "42703": "fix the column name or add the column",
        "42883": "cast the parameters to the types the function expects, e.g. $1::int",
        "42P18": "cast the parameter so the server can tell its type, e.g. $1::text",
        "3D000": "create the database or fix the database name in the URL",
        "28P01": "fix the password in the URL or the server's pg_hba.conf",
        "28000": "allow this user and host in the server's pg_hba.conf",
        "57014": "the statement was cancelled or hit statement_timeout; make it cheaper or raise the timeout",
        "57P01": "the server is shutting down; reconnect once it is back",
        "25P02": "roll back the failed transaction before running more statements",
        "26000": "the prepared statement is gone (DEALLOCATE or DISCARD ran); run the query again",
        "53300": "the server has no free connection slots; use fewer connections or raise max_connections",
        "22P02": "send a value of the column's type; the text could not be parsed",
        "22001": "shorten the value or widen the column",
    ]

    private static let adviceByClass: [String: String] = [
        "08": "the connection failed; check the server and the network, then reconnect",
        "22": "the value does not fit the column's type; fix the data",
        "23": "the data violates a constraint; fix the data or the statement",
        "28": "check the user name and password in the URL",
        "40": "the transaction conflicted with another one; run it again",
        "42": "fix the SQL statement (a name, type or permission is wrong)",
        "53": "the server is out of a resource (disk, memory, connections); free some and retry",
        "57": "the server stopped the statement; check its logs and retry",
        "XX": "the server hit an internal error; check its logs",
    ]
}
