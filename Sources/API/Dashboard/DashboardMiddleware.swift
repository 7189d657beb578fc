import Hummingbird

/// Serves the live dashboard: `/` and `/dashboard` lead to
/// `/dashboard/`, and `/dashboard/{file}` is one of ``DashboardAssets``.
///
/// A middleware rather than routes, like Hummingbird's `FileMiddleware`:
/// the router (and `/openapi.json`, which must match it) describes the API,
/// and these are files. The pages need no credentials; everything they
/// show comes from the API, which checks the caller's token.
struct DashboardMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    static let prefix = "/dashboard/"

    /// The pages run only our own scripts and talk only to this server.
    private static let headers: HTTPFields = [
        .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        HTTPFields.Element.Name("X-Content-Type-Options")!: "nosniff",
        .cacheControl: "no-cache",
    ]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head else { return try await next(request, context) }
        let path = request.uri.path
        if path == "/" || path == "/dashboard" {
            return Response(status: .found, headers: [.location: Self.prefix])
        }
        guard path.hasPrefix(Self.prefix) else { return try await next(request, context) }
        let name = path == Self.prefix ? "index.html" : String(path.dropFirst(Self.prefix.count))
        guard let asset = DashboardAssets.files[name] else { throw APIError.notFound("dashboard file") }
        var headers = Self.headers
        headers[.contentType] = asset.contentType
        headers[.contentLength] = String(asset.bytes.count)
        let body = request.method == .head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes))
        return Response(status: .ok, headers: headers, body: body)
    }
}
