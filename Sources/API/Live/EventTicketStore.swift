import Foundation
import NIOConcurrencyHelpers

/// Single-use tickets that open one server-sent event stream.
///
/// Why tickets: a browser's `EventSource` cannot send an `Authorization`
/// header, and the API never reads credentials from the query string
/// (URLs end up in proxy logs and browser history). So the page first
/// trades its JWT for a ticket at `POST /events/ticket` (an ordinary
/// authenticated request), then opens `GET …/events?ticket=…`. A ticket
/// is random (128 bits), lives ``lifetime`` (30 s), and is spent by the
/// first stream that presents it, so one that leaks into a log is already
/// worthless. It proves only who the caller is; the stream's route still
/// checks what that caller may see.
///
/// Tickets live in this process's memory: behind a load balancer with
/// several API processes, route `/events` with sticky sessions, or the
/// ticket must be redeemed where it was issued.
final class EventTicketStore: Sendable {
    struct Ticket: Encodable, Sendable {
        var ticket: String
        var expiresIn: Int

        enum CodingKeys: String, CodingKey {
            case ticket
            case expiresIn = "expires_in"
        }
    }

    let lifetime: TimeInterval
    /// Beyond this many unspent tickets the oldest are forgotten.
    private let capacity: Int
    private let tickets = NIOLockedValueBox<[String: (principal: Principal, expires: Date)]>([:])

    init(lifetime: TimeInterval = 30, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    func issue(for principal: Principal, now: Date = Date()) -> Ticket {
        // SystemRandomNumberGenerator reads the kernel's CSPRNG.
        let value = OpaqueID.make() + OpaqueID.make()
        tickets.withLockedValue { tickets in
            if tickets.count >= capacity {
                tickets = tickets.filter { $0.value.expires > now }
                if tickets.count >= capacity, let oldest = tickets.min(by: { $0.value.expires < $1.value.expires }) {
                    tickets.removeValue(forKey: oldest.key)
                }
            }
            tickets[value] = (principal, now.addingTimeInterval(lifetime))
        }
        return Ticket(ticket: value, expiresIn: Int(lifetime))
    }

    /// The ticket's principal, spending the ticket; 401 if it is unknown,
    /// spent or expired.
    func redeem(_ value: String?, now: Date = Date()) throws(APIError) -> Principal {
        guard let value, !value.isEmpty else {
            throw .unauthenticated("an event stream needs ?ticket= from POST /events/ticket")
        }
        let entry = tickets.withLockedValue { $0.removeValue(forKey: value) }
        guard let entry, entry.expires > now else {
            throw .unauthenticated("the event ticket is unknown, spent or expired; get a new one from POST /events/ticket")
        }
        return entry.principal
    }
}
