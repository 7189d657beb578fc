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
/// - **A read racing a write** cannot put the old answer back: ``generation``
///   is taken before the query and ``store(_:user:house:generation:)`` drops
///   the entry if a clear came in between.
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

    /// Take this before querying, and hand it to ``store(_:user:house:generation:)``.
    var generation: UInt64 { state.withLockedValue { $0.generation } }

    func entry(user: Int, house: Int, now: ContinuousClock.Instant = .now) -> Entry? {
        guard lifetime > .zero else { return nil }
        return state.withLockedValue { state in
            guard let cached = state.entries[Key(user: user, house: house)], cached.expires > now else { return nil }
            return cached.entry
        }
    }

    func store(_ entry: Entry, user: Int, house: Int, generation: UInt64, now: ContinuousClock.Instant = .now) {
        guard lifetime > .zero else { return }
        state.withLockedValue { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[Key(user: user, house: house)] = (entry, now + lifetime)
        }
    }

    /// Forgets every answer; reads already under way will not store theirs.
    func invalidateAll() {
        state.withLockedValue { state in
            state.generation &+= 1
            state.entries.removeAll(keepingCapacity: true)
        }
    }
}
