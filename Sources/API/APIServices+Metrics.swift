import Metrics
import Prometheus

extension APIServices {
    /// Points the process-wide `MetricsSystem` at this API's registry, so
    /// metrics that libraries emit through it appear on `/metrics` too. Call
    /// it once per process (swift-metrics refuses a second bootstrap); the
    /// API's own HTTP metrics do not depend on it.
    public func bootstrapGlobalMetrics() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }
}
