import Hummingbird
import HummingbirdAuth

/// The per-request context: Hummingbird's core storage plus who is calling.
///
/// `identity` is set by ``AuthenticationMiddleware`` on every route that
/// needs a caller; handlers read it through ``principal()``.
public struct APIRequestContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Principal?

    public init(source: Source) {
        coreContext = .init(source: source)
        identity = nil
    }

    /// Request bodies are read by ``Request/decodeBody(_:)`` up to its own
    /// limit; this caps anything else that collects a body.
    public var maxUploadSize: Int { Request.maxBodyBytes }

    /// The authenticated caller; a route that forgot its authentication
    /// middleware answers 401 rather than serving anyone.
    func principal() throws(APIError) -> Principal {
        guard let identity else { throw .unauthenticated("credentials required") }
        return identity
    }

    /// The positive integer id in the path parameter `name`. A malformed id
    /// names nothing, so it is a 404 for `what`, like an id that is not there.
    func id(_ name: String = "id", of what: String) throws(APIError) -> Int {
        guard let text = parameters.get(name), let id = Int(text), id > 0 else { throw .notFound(what) }
        return id
    }
}
