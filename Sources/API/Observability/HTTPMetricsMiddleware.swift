import Hummingbird
import Metrics
import NIOConcurrencyHelpers

/// Counts requests and times them per route, for `/metrics`.
///
/// Labels use the route's template (`/houses/{id}/data`), never the concrete
/// path, so the number of series stays bounded however many houses exist.
/// Metrics go to the API's own factory rather than the process-global
/// `MetricsSystem`, so several API instances in one process (tests, `hearth
/// run` with `api: true`) keep separate, correct counts.
///
/// The counter and timer of each method, route and status are made once and
/// kept: asking the factory for them on every request (it builds and looks up
/// the label set under its lock) was about 2% of a `/data` request's CPU.
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let factory: any MetricsFactory
    private let handles = NIOLockedValueBox<[HandleKey: (requests: Counter, duration: Timer)]>([:])

    private struct HandleKey: Hashable {
        var method: String
        var route: String
        var status: Int
    }

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

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
        let key = HandleKey(method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: status)
        let (requests, duration) = handles.withLockedValue { handles in
            if let made = handles[key] { return made }
            let made = (
                requests: Counter(label: "hearth_http_requests_total",
                                  dimensions: [("method", key.method), ("route", key.route), ("status", String(status))],
                                  factory: factory),
                duration: Timer(label: "hearth_http_request_duration_seconds",
                                dimensions: [("method", key.method), ("route", key.route)],
                                factory: factory)
            )
            handles[key] = made
            return made
        }
        requests.increment()
        duration.recordInterval(since: start)
    }
}

extension Timer {
    /// Records the time from `start` to now.
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
