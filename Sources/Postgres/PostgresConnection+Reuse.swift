internal import CLibPQ

extension PostgresConnection {
    /// Makes a returned connection safe for the next borrower, as
    /// `PostgresPool` needs: a transaction the last borrower left open is
    /// rolled back (its writes must not leak into someone else's COMMIT), and
    /// a connection libpq marked broken is reconnected with `PQreset`.
    /// Returns false when the connection cannot be used again.
    func prepareForReuse() -> Bool {
        guard let handle else { return false }
        if PQstatus(handle) != CONNECTION_OK {
            return (try? reset()) != nil
        }
        if PQtransactionStatus(handle) != PQTRANS_IDLE {
            _ = try? runControl("ROLLBACK")
        }
        return PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
    }
}
