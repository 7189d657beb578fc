import Metrics
import Hummingbird

/// Counts requests and times them per route, for `/metrics`.
///
/// Labels use the route's template (`/houses/{id}/data`), never the concrete
/// path, so the number of series stays bounded however many houses exist.
/// Metrics go to the API's own factory rather than the process-global
/// `MetricsSystem`, so several API instances in one process (tests, `hearth
/// run` with `api: true`) keep separate, correct counts.
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let factory: any MetricsFactory

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            // ErrorMiddleware sits inside this one and turns every error
            // into a response; anything still thrown is a failure to answer.
            record(request, context: context, status: 500, since: start)
            throw error
        }
        record(request, context: context, status: response.status.code, since: start)
        return response
    }

    private func record(_ request: Request, context: Context, status: Int, since start: ContinuousClock.Instant) {
        let route = context.endpointPath ?? "unmatched"
        let method = request.method.rawValue
        Counter(label: "hearth_http_requests_total",
                dimensions: [("method", method), ("route", route), ("status", String(status))],
                factory: factory).increment()
        Timer(label: "hearth_http_request_duration_seconds",
              dimensions: [("method", method), ("route", route)],
              factory: factory).recordInterval(since: start)
    }
}

extension Timer {
    /// Records the time from `start` to now.
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
