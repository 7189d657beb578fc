import Foundation

/// The ways into a ``Scenario``: from a file or from text. Both validate
/// everything and either return a scenario that is safe to run or throw
/// every mistake found, each with its file, line and column.
extension Scenario {
    /// Reads and validates the scenario file at `path`.
    ///
    /// - Parameter vocabulary: the sensor kinds and events the run's plugins
    ///   know; the built-in six by default.
    public static func load(contentsOfFile path: String, vocabulary: EventVocabulary = .builtIn) throws(ScenarioValidationError) -> Scenario {
        let text: String
        do {
            text = try readText(atPath: path)
        } catch {
            throw ScenarioValidationError(diagnostics: [ScenarioDiagnostic(file: path, location: .unknown, message: error.message)])
        }
        return try parse(yaml: text, file: path, vocabulary: vocabulary)
    }

    /// Validates scenario text; `file` names it in diagnostics.
    public static func parse(yaml text: String, file: String = "<scenario>", vocabulary: EventVocabulary = .builtIn) throws(ScenarioValidationError) -> Scenario {
        let reader = ScenarioReader(file: file)
        let scenario = YAMLFrontEnd.compose(text, reader: reader).flatMap { decode($0, reader: reader, vocabulary: vocabulary) }
        guard let scenario, !reader.hasFindings else {
            var diagnostics = reader.diagnosticsInFileOrder
            if diagnostics.isEmpty {
                diagnostics = [ScenarioDiagnostic(file: file, location: SourceLocation(line: 1, column: 1), message: "the scenario is incomplete")]
            }
            throw ScenarioValidationError(diagnostics: diagnostics)
        }
        return scenario
    }

    /// Reads at most one byte more than the limit, so that a huge file (or
    /// a device like /dev/zero) is refused without being read whole.
    private static func readText(atPath path: String) throws(UnitSyntaxError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw UnitSyntaxError("no such file")
        }
        guard !isDirectory.boolValue else { throw UnitSyntaxError("is a folder, not a scenario file") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw UnitSyntaxError("cannot be opened for reading") }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: YAMLPreflight.maximumBytes + 1) ?? Data()
        } catch {
            throw UnitSyntaxError("cannot be read: \(error.localizedDescription)")
        }
        guard data.count <= YAMLPreflight.maximumBytes else {
            throw UnitSyntaxError("is larger than \(YAMLPreflight.maximumBytes.grouped) bytes (1 MiB); scenario files are far smaller")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw UnitSyntaxError("is not UTF-8 text")
        }
        return text
    }
}
