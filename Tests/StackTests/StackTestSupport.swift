import Foundation
import Stack

/// Runs `body` against a fresh embedded stack with its own ports and run
/// directory, and always stops it, so integration tests can run in parallel.
func withStack<T>(
    _ services: Set<StackService> = Set(StackService.allCases),
    configure: (inout StackConfiguration) -> Void = { _ in },
    _ body: (EmbeddedStack) async throws -> T
) async throws -> T {
    var configuration = StackConfiguration(services: services)
    configure(&configuration)
    return try await EmbeddedStack.withRunning(configuration, body)
}
