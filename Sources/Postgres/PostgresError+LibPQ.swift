internal import CLibPQ

/// Which result statuses a libpq call counts as success.
enum ExpectedResult {
    /// A statement: rows (`PGRES_TUPLES_OK`), a command tag (`PGRES_COMMAND_OK`) or an empty query.
    case statement
    /// The start of `COPY … FROM STDIN` (`PGRES_COPY_IN`).
    case copyIn

    func accepts(_ status: ExecStatusType) -> Bool {
        switch self {
        case .statement: return status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_EMPTY_QUERY
        case .copyIn: return status == PGRES_COPY_IN
        }
    }
}

/// Runs one libpq call that returns a `PGresult` and turns every kind of
/// failure into a thrown `PostgresError`: a NULL result (out of memory or the
/// connection is gone), a server error (with its SQLSTATE and diagnostics), or
/// a status this client did not ask for.
///
/// This is the module's single point of C-to-Swift error translation, like
/// NIO's `syscall` wrapper, so no caller inspects libpq statuses by hand.
@discardableResult
func libpq(
    _ connection: OpaquePointer,
    query: String?,
    expecting expected: ExpectedResult = .statement,
    _ call: () -> OpaquePointer?
) throws -> PostgresResultStorage {
    guard let result = call() else {
        throw PostgresError.fromConnection(connection, doing: "running a statement", query: query)
    }
    let status = PQresultStatus(result)
    if expected.accepts(status) { return PostgresResultStorage(owning: result) }
    defer { PQclear(result) }
    if status == PGRES_FATAL_ERROR || status == PGRES_NONFATAL_ERROR || status == PGRES_BAD_RESPONSE {
        throw PostgresError.fromResult(result, connection: connection, query: query)
    }
    throw PostgresError(
        code: .unexpectedResult,
        message: "libpq returned \(String(cString: PQresStatus(status))) where a statement result was expected",
        libpqStatus: String(cString: PQresStatus(status)),
        query: query
    )
}

/// The same translation for libpq calls that return an `int` status where 1
/// means success (`PQputCopyData`, `PQputCopyEnd`, `PQsetClientEncoding`'s kin).
func libpq(_ connection: OpaquePointer, doing operation: String, _ call: () -> Int32) throws {
    guard call() == 1 else {
        throw PostgresError.fromConnection(connection, doing: operation, query: nil)
    }
}

extension PostgresError {
    /// An error from the connection's last error message (`PQerrorMessage`).
    static func fromConnection(_ connection: OpaquePointer, doing operation: String, query: String?) -> PostgresError {
        let lost = PQstatus(connection) == CONNECTION_BAD
        let text = libpqMessage(PQerrorMessage(connection)) ?? "no message from libpq"
        return PostgresError(
            code: lost ? .connectionClosed : .unexpectedResult,
            message: lost ? "the connection to the server was lost while \(operation): \(text)" : "libpq failed while \(operation): \(text)",
            libpqStatus: lost ? "CONNECTION_BAD" : nil,
            query: query
        )
    }

    /// An error from a failed result's diagnostic fields.
    static func fromResult(_ result: OpaquePointer, connection: OpaquePointer, query: String?) -> PostgresError {
        func field(_ code: UInt8) -> String? { libpqMessage(PQresultErrorField(result, Int32(code))) }
        let sqlState = field(UInt8(ascii: "C"))
        let primary = field(UInt8(ascii: "M")) ?? libpqMessage(PQresultErrorMessage(result)) ?? "unknown error"
        let lost = PQstatus(connection) == CONNECTION_BAD
        return PostgresError(
            code: lost ? .connectionClosed : .serverError,
            message: lost ? "the connection to the server was lost: \(primary)" : primary,
            sqlState: sqlState,
            serverMessage: primary,
            detail: field(UInt8(ascii: "D")),
            hint: field(UInt8(ascii: "H")),
            constraintName: field(UInt8(ascii: "n")),
            libpqStatus: String(cString: PQresStatus(PQresultStatus(result))),
            query: query
        )
    }
}

/// A libpq message as one line, nil when empty. libpq ends messages with a
/// newline and spreads connection failures over several lines (one per
/// address tried, plus a tab-indented hint); errors here are one line each.
func libpqMessage(_ pointer: UnsafePointer<CChar>?) -> String? {
    guard let pointer else { return nil }
    let lines = String(cString: pointer)
        .split(whereSeparator: \.isNewline)
        .map { $0.drop(while: \.isWhitespace) }
        .filter { !$0.isEmpty }
    return lines.isEmpty ? nil : lines.joined(separator: "; ")
}
