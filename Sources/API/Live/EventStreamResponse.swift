import Foundation
import Hummingbird
import ServiceLifecycle

/// A `text/event-stream` response: the events that show the current state,
/// then every change, until the client goes, the stream ends (a slow
/// client, a deleted house, shutdown) or a re-check of the caller fails.
enum EventStreamResponse {
    /// How often a long-lived stream asks again whether its caller may
    /// still see it, so a removed resident or deleted account stops getting
    /// events within this time, not when they close the tab.
    static let recheckInterval: TimeInterval = 30

    static func make(
        current: [ServerSentEvent],
        changes: AsyncStream<ServerSentEvent>,
        recheck: @escaping @Sendable () async throws -> Void
    ) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/event-stream; charset=utf-8",
                .cacheControl: "no-store",
                // nginx and similar proxies would otherwise buffer the stream.
                HTTPFields.Element.Name("X-Accel-Buffering")!: "no",
            ],
            body: ResponseBody { writer in
                for event in current { try await writer.write(event.frame) }
                var checked = Date()
                for await event in changes.cancelOnGracefulShutdown() {
                    if Date().timeIntervalSince(checked) > recheckInterval {
                        do {
                            try await recheck()
                        } catch {
                            try await writer.write(ServerSentEvent(name: "denied", json: Array(#"{"reason":"access ended"}"#.utf8)).frame)
                            break
                        }
                        checked = Date()
                    }
                    try await writer.write(event.frame)
                }
                try await writer.finish(nil)
            }
        )
    }
}
