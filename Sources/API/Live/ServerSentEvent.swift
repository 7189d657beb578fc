import Foundation
import NIOCore

/// One server-sent event, framed once and written to every listener as is.
///
/// `data` is one line of JSON (JSONEncoder never writes a raw newline), so
/// the frame is `event: name`, `data: json` and a blank line, as the
/// EventSource specification reads it.
struct ServerSentEvent: Sendable {
    let frame: ByteBuffer

    init(name: String, json: some Collection<UInt8>) {
        var buffer = ByteBuffer()
        buffer.writeString("event: \(name)\ndata: ")
        buffer.writeBytes(json)
        buffer.writeString("\n\n")
        frame = buffer
    }

    /// An event whose data is `value` in the API's JSON.
    init(name: String, encoding value: some Encodable) {
        let json = (try? JSONResponse.encoder.encode(value)) ?? Data("null".utf8)
        self.init(name: name, json: json)
    }

    /// An event whose data is written by `value` itself (``JSONWritable``).
    init(name: String, writing value: some JSONWritable) {
        self.init(name: name, json: value.jsonBytes)
    }

    /// A comment line: keeps proxies from closing an idle stream and lets
    /// the server notice a client that has gone.
    static let keepAlive = ServerSentEvent(comment: "keep-alive")

    private init(comment: String) {
        frame = ByteBuffer(string: ": \(comment)\n\n")
    }
}
