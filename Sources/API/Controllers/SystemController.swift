import Hummingbird

/// Routes for operators and tools, open without credentials: liveness,
/// readiness, Prometheus metrics and the OpenAPI description. None of them
/// reveals data about users or houses.
struct SystemController {
    let services: APIServices

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("healthz", use: healthz)
        group.get("readyz", use: readyz)
        group.get("metrics", use: metrics)
        group.get("openapi.json", use: openAPI)
    }

    /// The process is up and answering; nothing else is checked, so a
    /// database outage does not get the process restarted.
    @Sendable func healthz(_ request: Request, context: APIRequestContext) async throws -> Response {
        JSONResponse.bytes(Array(#"{"status":"ok"}"#.utf8))
    }

    /// 200 when PostgreSQL, Redis and MQTT all answer; 503 naming the one
    /// that does not.
    @Sendable func readyz(_ request: Request, context: APIRequestContext) async throws -> Response {
        let readiness = await services.readiness.check()
        return JSONResponse.encode(readiness, status: readiness.isReady ? .ok : .serviceUnavailable)
    }

    /// Prometheus text exposition format 0.0.4.
    @Sendable func metrics(_ request: Request, context: APIRequestContext) async throws -> Response {
        let body = services.registry.emitToBuffer()
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .contentLength: String(body.count)],
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }

    @Sendable func openAPI(_ request: Request, context: APIRequestContext) async throws -> Response {
        JSONResponse.bytes(OpenAPISpec.json)
    }
}
