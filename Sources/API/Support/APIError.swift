import Hummingbird

/// An error the API answers with on purpose: a status, a stable machine code,
/// a message meant for the client, and for validation failures the field at
/// fault.
///
/// Every error response has the same JSON shape, so clients parse one thing:
///
/// ```json
/// {"error": {"code": "validation_failed", "message": "must be an e-mail address", "field": "email"}}
/// ```
///
/// Anything thrown that is not an `APIError` (or Hummingbird's `HTTPError`)
/// becomes a 500 with an opaque id in ``ErrorMiddleware``; its text never
/// reaches the client.
struct APIError: Error, Sendable {
    var status: HTTPResponse.Status
    /// Stable, snake_case; clients switch on it rather than on the message.
    var code: String
    var message: String
    /// The request field that failed validation (`email`, `end_date`, `limit`).
    var field: String?
    /// Extra response headers, such as `WWW-Authenticate` or `Location`.
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, code: String, _ message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }
}

extension APIError {
    /// 404 for a resource that does not exist, or that the caller may not
    /// know exists (a house they are not linked to, and everything in it).
    static func notFound(_ what: String) -> APIError {
        APIError(.notFound, code: "not_found", "\(what) not found")
    }

    /// 403: the caller is known and may see the resource, but not do this.
    static func forbidden(_ message: String) -> APIError {
        APIError(.forbidden, code: "forbidden", message)
    }

    /// 422 naming the field that failed.
    static func invalid(_ field: String, _ message: String) -> APIError {
        APIError(.unprocessableContent, code: "validation_failed", message, field: field)
    }

    /// 409: the request collides with the current state (a duplicate e-mail).
    static func conflict(_ message: String, field: String? = nil) -> APIError {
        APIError(.conflict, code: "conflict", message, field: field)
    }

    /// 400: the body is not JSON (or form data) at all.
    static func badRequest(_ message: String) -> APIError {
        APIError(.badRequest, code: "bad_request", message)
    }

    /// 401 with the challenges a client can answer: `Bearer` (a token from
    /// `/auth/token`) and `Basic` (e-mail and password).
    static func unauthenticated(_ message: String, invalidToken: Bool = false) -> APIError {
        var error = APIError(.unauthorized, code: "unauthenticated", message)
        let bearer = invalidToken ? #"Bearer realm="hearth", error="invalid_token""# : #"Bearer realm="hearth""#
        error.headers[values: .wwwAuthenticate] = [bearer, #"Basic realm="hearth", charset="UTF-8""#]
        return error
    }
}

/// The JSON body of every error response.
struct ErrorBody: Encodable, Sendable {
    struct Detail: Encodable, Sendable {
        var code: String
        var message: String
        var field: String?
        /// Set on 500s: quote it to an operator, who finds it in the log.
        var id: String?
    }

    var error: Detail
}
