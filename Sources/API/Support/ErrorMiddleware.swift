import Hummingbird
import Logging
import Postgres
import Redis

/// Turns every error a handler throws into a response of one JSON shape.
///
/// - ``APIError`` and Hummingbird's `HTTPError` keep their status.
/// - A `PostgresError` that a request caused (a duplicate key, a bad foreign
///   key, a failed check) becomes 409 or 422; the server's own message and
///   detail are not passed on, because they quote SQL and row values.
/// - A server that cannot be reached (PostgreSQL, Redis) or, for Redis, does
///   not answer within its timeout is a 503 with an opaque id: the request
///   may succeed later.
/// - Anything else is a 500 that says only "internal error" and an opaque id;
///   the id and the error's one-line description are logged together, so an
///   operator can find what happened from what the client saw. A
///   `PostgresError`'s description carries neither bind values nor the
///   server's detail line, so nothing a user typed reaches the log.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch var error as APIError {
            if error.status == .unauthorized && request.headers[Self.requestedWith] != nil {
                // A browser answers a `Basic` challenge with its own login
                // dialog, over the page that asked (headless, it waits
                // forever). Pages that handle 401 themselves say so with
                // `X-Requested-With` and get only the Bearer challenge.
                error.headers[values: .wwwAuthenticate] = error.headers[values: .wwwAuthenticate].filter { $0.hasPrefix("Bearer") }
            }
            return JSONResponse.error(error)
        } catch let error as HTTPError {
            return JSONResponse.error(Self.apiError(from: error))
        } catch let error as PostgresError {
            if let mapped = Self.apiError(from: error) { return JSONResponse.error(mapped) }
            let down = [.connectionFailed, .connectionClosed, .poolClosed].contains(error.code)
            return Self.internalError(error, unavailable: down, request: request, context: context)
        } catch let error as RedisError {
            return Self.internalError(error, unavailable: error.isUnavailable, request: request, context: context)
        } catch {
            return Self.internalError(error, unavailable: false, request: request, context: context)
        }
    }

    static var requestedWith: HTTPFields.Element.Name { HTTPFields.Element.Name("X-Requested-With")! }

    /// A 500, or a 503 when a server the API needs cannot be reached (the
    /// client may retry later), with the id under which the error is logged.
    private static func internalError(_ error: any Error, unavailable: Bool, request: Request, context: Context) -> Response {
        let id = OpaqueID.make()
        context.logger.error("request failed", metadata: [
            "error_id": "\(id)",
            "method": "\(request.method)",
            "route": "\(context.endpointPath ?? "unmatched")",
            "error": "\(error)",
        ])
        let body = unavailable
            ? ErrorBody(error: .init(code: "unavailable", message: "a server the API needs is unavailable; retry later, or quote the id to the operator", id: id))
            : ErrorBody(error: .init(code: "internal_error", message: "internal error; quote the id to the operator", id: id))
        return JSONResponse.encode(body, status: unavailable ? .serviceUnavailable : .internalServerError)
    }

    /// Hummingbird's own errors (no route, body too large) in the API's shape.
    static func apiError(from error: HTTPError) -> APIError {
        let code = switch error.status {
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .contentTooLarge: "body_too_large"
        case .unauthorized: "unauthenticated"
        case .badRequest: "bad_request"
        default: error.status.code >= 500 ? "internal_error" : "error"
        }
        var mapped = APIError(error.status, code: code, error.body ?? error.status.reasonPhrase.lowercased())
        mapped.headers = error.headers
        return mapped
    }

    /// Errors that the request's data caused, by SQLSTATE class; nil for the
    /// server's and the connection's own troubles, which are 500s.
    static func apiError(from error: PostgresError) -> APIError? {
        if error.code == .invalidQuery {
            // The client sent a value the server cannot store (a NUL in text).
            return APIError(.unprocessableContent, code: "validation_failed", "a value contains a character that cannot be stored")
        }
        switch error.sqlState {
        case "23505": return .conflict("a record with these values already exists")
        case "23503": return APIError(.conflict, code: "conflict", "a referenced record does not exist or is still referenced")
        case "23514", "23502": return APIError(.unprocessableContent, code: "validation_failed", "a value is out of its allowed range")
        case let state? where state.hasPrefix("22"):
            return APIError(.unprocessableContent, code: "validation_failed", "a value has the wrong form or is out of range")
        default: return nil
        }
    }
}

/// Short random identifiers for log correlation; not secrets, just unique.
enum OpaqueID {
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
