import SensorKit

/// Why a payload was turned away, with a stable `code` for dead-letter counts.
public enum PayloadRejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// Not UTF-8 JSON of the payload's shape.
    case unparsable(PayloadParseError)
    /// A well-formed payload of a kind this catalogue does not have.
    case unknownKind(SensorKind)
    /// A payload whose values break its kind's declarations.
    case invalid(ReadingValidationError)

    /// `parse.<code>`, `unknown_kind` or `invalid.<code>`: a small fixed set of
    /// strings, fit to label a counter.
    public var code: String {
        switch self {
        case .unparsable(let error): return "parse.\(error.code.rawValue)"
        case .unknownKind: return "unknown_kind"
        case .invalid(let error): return "invalid.\(error.code.rawValue)"
        }
    }

    public var description: String {
        switch self {
        case .unparsable(let error): return "unparsable payload: \(error)"
        case .unknownKind(let kind): return "payload of unknown sensor kind '\(kind)'"
        case .invalid(let error): return "invalid reading: \(error)"
        }
    }
}

extension SensorCatalog {
    /// Parses a decrypted payload and validates it against its kind's
    /// declarations: the subscriber's one call per message.
    ///
    /// Payloads in the common shape take `ReadingScanner`'s single pass; any
    /// other goes through the strict parser, which accepts it or says why not.
    public func decode(payload: some Collection<UInt8>) throws(PayloadRejection) -> Reading {
        let reading: Reading
        if let scanned = payload.withContiguousStorageIfAvailable({ ReadingScanner.scan($0) }) ?? nil {
            reading = scanned
        } else {
            do {
                reading = try Reading(payload: payload)
            } catch {
                throw .unparsable(error)
            }
        }
        guard let descriptor = descriptor(for: reading.kind) else { throw .unknownKind(reading.kind) }
        do {
            try descriptor.validate(reading)
        } catch {
            throw .invalid(error)
        }
        return reading
    }
}
