import Harness
import Scenario
import SensorCatalog
import Testing

@Suite("The scenario vocabulary and the plugin catalogue agree")
struct EventVocabularyCatalogTests {
    /// Scenario validation uses `EventVocabulary.builtIn` when no catalogue is
    /// at hand (it cannot import the plugins); this keeps it equal to what the
    /// six built-in plugins really declare.
    @Test("EventVocabulary.builtIn equals the vocabulary built from the built-in plugins")
    func builtInMatchesCatalogue() {
        let fromCatalog = EventVocabulary(catalog: .builtIn)
        #expect(Set(fromCatalog.kinds) == Set(EventVocabulary.builtIn.kinds))
        #expect(Set(fromCatalog.entries) == Set(EventVocabulary.builtIn.entries))
    }
}
