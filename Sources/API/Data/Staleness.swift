import SensorCatalog
import SensorKit

/// When a latest reading counts as stale.
///
/// A sensor is expected to speak every reporting interval (periodic kinds)
/// or heartbeat (kinds that report on change). Missing three in a row is the
/// point at which a person looking at the house should stop trusting the
/// value; one late message is jitter, not news. A deployment may instead set
/// one fixed threshold for all kinds.
struct Staleness: Sendable {
    private let fixed: Double?
    private let thresholds: [SensorKind: Double]
    private let fallback: Double

    init(configuration: APIConfiguration, catalog: SensorCatalog) {
        fixed = configuration.staleAfter.map(Self.seconds)
        fallback = Self.seconds(configuration.fallbackStaleAfter)
        var thresholds: [SensorKind: Double] = [:]
        for plugin in catalog.plugins {
            switch plugin.descriptor.reporting {
            case .periodic(let interval): thresholds[plugin.kind] = 3 * interval
            case .onChange(_, let heartbeat): thresholds[plugin.kind] = 3 * heartbeat
            }
        }
        self.thresholds = thresholds
    }

    /// Seconds after its timestamp at which a reading of `kind` is stale.
    func threshold(for kind: SensorKind) -> Double {
        fixed ?? thresholds[kind] ?? fallback
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
