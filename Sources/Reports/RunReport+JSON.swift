import Foundation

/// `report.json`: snake_case keys, RFC 3339 times with milliseconds, sorted
/// keys so that two reports diff cleanly.
extension RunReport {
    public func jsonData() throws(ReportError) -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Self.timestampFormatter().string(from: date))
        }
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try encoder.encode(self)
        } catch {
            throw ReportError(.malformed, "could not encode the report: \(error)")
        }
    }

    /// Reads a report, refusing schema versions this hearth does not know.
    public static func decode(json data: Data, source: String = "report") throws(ReportError) -> RunReport {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = timestampFormatter().date(from: text) ?? plainTimestampFormatter().date(from: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not an RFC 3339 time")
            }
            return date
        }
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let version: Int
        do {
            version = try decoder.decode(SchemaProbe.self, from: data).schemaVersion
        } catch {
            throw ReportError(.malformed, "\(source) is not a hearth report (no schema_version): \(Self.reason(error))")
        }
        guard version == currentSchemaVersion else {
            throw ReportError(.unsupportedSchema, "\(source) has schema_version \(version); this hearth reads version \(currentSchemaVersion) (use the hearth that wrote it)")
        }
        do {
            return try decoder.decode(RunReport.self, from: data)
        } catch {
            throw ReportError(.malformed, "\(source) is not a valid hearth report: \(Self.reason(error))")
        }
    }

    public static func read(contentsOfFile path: String) throws(ReportError) -> RunReport {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ReportError(.io, "cannot read \(path): \(error.localizedDescription)")
        }
        return try decode(json: data, source: path)
    }

    public func writeJSON(to path: String) throws(ReportError) {
        try ReportFiles.write(try jsonData(), to: path)
    }

    private struct SchemaProbe: Decodable {
        var schemaVersion: Int
    }

    static func timestampFormatter() -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }

    private static func plainTimestampFormatter() -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter
    }

    /// The decoding error's path and reason, e.g. `counts.sent: expected Int`.
    private static func reason(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "" : keys.joined(separator: ".") + ": "
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context))missing \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context))\(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// Writes report files atomically, creating their folder.
public enum ReportFiles {
    public static func write(_ data: Data, to path: String) throws(ReportError) {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        } catch {
            throw ReportError(.io, "cannot write \(path): \(error.localizedDescription)")
        }
    }

    public static func write(_ text: String, to path: String) throws(ReportError) {
        try write(Data(text.utf8), to: path)
    }
}
