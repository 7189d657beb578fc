import Hummingbird

/// Clears the API's caches of who may read what (``HouseReadCache``) after
/// every request that may have changed the estate: any method but GET,
/// HEAD and OPTIONS, whether it succeeded or not (a failed request may
/// still have committed part of its work).
///
/// Clearing after the handler, once its transaction has committed, is what
/// makes the next request see the change; the cache's generation keeps a
/// read that was already under way from storing the old answer.
struct CacheInvalidationMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let cache: HouseReadCache

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        switch request.method {
        case .get, .head, .options:
            return try await next(request, context)
        default:
            defer { cache.invalidateAll() }
            return try await next(request, context)
        }
    }
}
