import Foundation

/// Decodes, edits and re-encodes tokens so tests can build malformed ones
/// through the public API only. Uses Foundation's base64 as an independent
/// implementation, not the one under test.
enum TokenSurgery {
    static func decode(_ token: String) -> [UInt8] {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Array(Data(base64Encoded: base64)!)
    }

    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
    }

    /// `token` with `edit` applied to its decoded bytes.
    static func edit(_ token: String, _ edit: (inout [UInt8]) -> Void) -> String {
        var bytes = decode(token)
        edit(&bytes)
        return encode(bytes)
    }
}
