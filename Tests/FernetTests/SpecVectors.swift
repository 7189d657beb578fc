import Foundation
import Testing

/// The Fernet spec's own test vectors (generate.json, verify.json,
/// invalid.json), kept in the shared folder beside the repository.
///
/// They are found relative to this source file (`<clone>/../shared`, where CI
/// puts them) or under `$HEARTH_SHARED_DIR`. If neither has them, loading
/// throws and the tests that need them fail: a missing vector set must never
/// look like a pass.
struct SpecVectors {
    struct Generate: Decodable {
        var token: String
        var now: String
        var iv: [UInt8]
        var src: String
        var secret: String
    }

    struct Verify: Decodable {
        var token: String
        var now: String
        var ttl_sec: Int
        var src: String
        var secret: String
    }

    struct Invalid: Decodable {
        var desc: String
        var token: String
        var now: String
        var ttl_sec: Int
        var secret: String
    }

    struct NotFound: Error, CustomStringConvertible {
        var searched: [String]
        var description: String {
            "Fernet spec vectors not found; looked in \(searched.joined(separator: ", ")). "
                + "Put shared/ beside the clone or set HEARTH_SHARED_DIR to the shared folder."
        }
    }

    var generate: [Generate]
    var verify: [Verify]
    var invalid: [Invalid]

    static func load(sourceFile: String = #filePath) throws -> SpecVectors {
        let directory = try locate(sourceFile: sourceFile)
        func decode<T: Decodable>(_ name: String, as: T.Type) throws -> T {
            try JSONDecoder().decode(T.self, from: Data(contentsOf: directory.appendingPathComponent(name)))
        }
        return SpecVectors(
            generate: try decode("generate.json", as: [Generate].self),
            verify: try decode("verify.json", as: [Verify].self),
            invalid: try decode("invalid.json", as: [Invalid].self)
        )
    }

    private static func locate(sourceFile: String) throws -> URL {
        var candidates = [
            URL(fileURLWithPath: sourceFile)
                .deletingLastPathComponent()
                .appendingPathComponent("../../../shared/vectors/fernet")
                .standardized,
        ]
        if let shared = ProcessInfo.processInfo.environment["HEARTH_SHARED_DIR"], !shared.isEmpty {
            candidates.append(URL(fileURLWithPath: shared).appendingPathComponent("vectors/fernet").standardized)
        }
        let found = candidates.first { candidate in
            FileManager.default.fileExists(atPath: candidate.appendingPathComponent("invalid.json").path)
        }
        guard let found else {
            throw NotFound(searched: candidates.map(\.path))
        }
        return found
    }

    /// Seconds since the epoch of a vector's RFC 3339 `now`, e.g. "1985-10-26T01:20:01-07:00".
    static func seconds(_ rfc3339: String) throws -> UInt64 {
        guard let date = ISO8601DateFormatter().date(from: rfc3339) else {
            throw BadTimestamp(text: rfc3339)
        }
        return UInt64(date.timeIntervalSince1970)
    }

    struct BadTimestamp: Error {
        var text: String
    }
}
