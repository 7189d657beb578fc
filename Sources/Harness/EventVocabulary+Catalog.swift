import Scenario
import SensorCatalog

extension EventVocabulary {
    /// The kinds and events of a plugin catalogue (built-in plugins plus any
    /// loaded with --plugin), so that scenarios may use run-time kinds.
    public init(catalog: SensorCatalog) {
        let entries = catalog.plugins.flatMap { plugin in
            plugin.descriptor.events.map { event in
                Entry(kind: plugin.kind, name: event.name, parameters: event.parameters.map {
                    Parameter(name: $0.name, unit: $0.unit, range: $0.range, defaultValue: $0.defaultValue)
                })
            }
        }
        self.init(kinds: catalog.kinds, entries: entries)
    }
}
