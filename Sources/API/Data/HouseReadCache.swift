import NIOConcurrencyHelpers

/// What `GET /houses/{id}/data` must know before it reads Redis — that the
/// caller may read the house, who holds its key and which sensors it has —
/// remembered for a moment, so the API's hot route does not ask PostgreSQL
/// on every request.
///
/// That one query was most of the route's cost: PostgreSQL's own CPU for a
/// four-table join, and two thread hops, thousands of times a second for an
/// answer that changes when someone edits the estate.
///
/// Staying correct:
/// - **Writes through this API** clear everything at once
///   (``CacheInvalidationMiddleware`` on every POST, PATCH, PUT and DELETE),
///   so a revoked link, a deleted sensor or a demoted user counts on the next
///   request, exactly as without the cache.
/// - **A read racing a write** cannot put the old answer back:
///   ``entry(user:house:now:load:)`` notes the generation before it loads and
///   keeps the answer only if no clear came in between.
/// - **Writes by anyone else** (another `hearth serve`, psql, a seeding run)
///   count within ``lifetime`` (one second by default), and so does midnight
///   for links with a start or end date.
///
/// Only answers that grant access are kept (a 404 is asked again each time),
/// and at most ``capacity`` of them: when full, it starts over.
final class HouseReadCache: Sendable {
    struct Entry: Sendable {
        var owner: Int?
        var sensors: [SensorRecord]
    }

    private struct Key: Hashable {
        var user: Int
        var house: Int
    }

    private struct State {
        var entries: [Key: (entry: Entry, expires: ContinuousClock.Instant)] = [:]
        var generation: UInt64 = 0
    }

    /// How long an answer may be served; zero turns the cache off.
    let lifetime: Duration
    let capacity: Int
    private let state = NIOLockedValueBox(State())

    init(lifetime: Duration, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The answer for `user` and `house`: a fresh one kept here, or what
    /// `load` returns (asking PostgreSQL), which is then kept unless a clear
    /// came in while it ran. An error from `load` (a 404) is passed on and
    /// nothing is kept.
    func entry(user: Int, house: Int, now: ContinuousClock.Instant = .now,
               load: () async throws -> Entry) async rethrows -> Entry {
        guard lifetime > .zero else { return try await load() }
        let key = Key(user: user, house: house)
        let (cached, generation) = state.withLockedValue { state in
            (state.entries[key].flatMap { $0.expires > now ? $0.entry : nil }, state.generation)
        }
        if let cached { return cached }
        let loaded = try await load()
        state.withLockedValue { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = (loaded, now + lifetime)
        }
        return loaded
    }

    /// Forgets every answer; reads already under way will not store theirs.
    func invalidateAll() {
        state.withLockedValue { state in
            state.generation &+= 1
            state.entries.removeAll(keepingCapacity: true)
        }
    }
}
