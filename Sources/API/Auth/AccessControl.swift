import Postgres

/// The access rules, each one query that reads the caller's current role
/// and links, so a change to either takes effect on the next request.
///
/// | caller            | a house they are not linked to | resident of it          | owner of it |
/// |-------------------|--------------------------------|-------------------------|-------------|
/// | sees the house    | no: 404, as if it did not exist | yes                    | yes         |
/// | data and alarms   | 404                            | read                    | read, acknowledge |
/// | members, appliances, sensors | 404                 | 403                     | manage      |
///
/// Administrators may do everything. A link counts while today lies between
/// its `start_date` and its `end_date` (inclusive; no end date: open-ended).
struct AccessControl: Sendable {
    let connection: PostgresConnection

    /// The caller as stored now; 401 if the account no longer exists (a
    /// token outlives its user otherwise).
    func caller(_ principal: Principal) async throws -> Principal {
        guard let row = try await connection.query("SELECT role FROM users WHERE id = \(principal.userID)").first else {
            throw APIError.unauthenticated("the account of this credential no longer exists", invalidToken: true)
        }
        return Principal(userID: principal.userID, role: UserRole(rawValue: try row.decode(String.self, column: 0)) ?? .user)
    }

    /// 403 unless the caller is an administrator now.
    @discardableResult
    func requireAdmin(_ principal: Principal) async throws -> Principal {
        let caller = try await caller(principal)
        guard caller.role == .admin else { throw APIError.forbidden("only an administrator may do this") }
        return caller
    }

    /// Administrators, and users asking about themselves.
    func requireSelfOrAdmin(_ principal: Principal, user id: Int) async throws -> Principal {
        let caller = try await caller(principal)
        guard caller.role == .admin || caller.userID == id else {
            throw APIError.forbidden("only an administrator may see another user's records")
        }
        return caller
    }

    /// What the caller may do in `houseID`: 401 for a vanished account, 404
    /// for a house that does not exist or that the caller is not linked to
    /// (the two look the same, so ids cannot be probed). `resource` names
    /// what the 404 is about: asking for an appliance in a stranger's house
    /// must read "appliance not found", not reveal that the house exists.
    @discardableResult
    func house(_ houseID: Int, for principal: Principal, resource: String = "house") async throws -> HouseAccess {
        guard let row = try await connection.query("""
            SELECT u.role, h.id IS NOT NULL, hu.role
            FROM users u
            LEFT JOIN houses h ON h.id = \(houseID)
            LEFT JOIN house_users hu ON hu.house_id = h.id AND hu.user_id = u.id
                AND hu.start_date <= current_date AND (hu.end_date IS NULL OR hu.end_date >= current_date)
            WHERE u.id = \(principal.userID)
            """).first else {
            throw APIError.unauthenticated("the account of this credential no longer exists", invalidToken: true)
        }
        let userRole = UserRole(rawValue: try row.decode(String.self, column: 0)) ?? .user
        let houseExists = try row.decode(Bool.self, column: 1)
        let houseRole = try row.decode(String?.self, column: 2).flatMap(HouseRole.init(rawValue:))
        return try HouseAccess(houseExists: houseExists, userRole: userRole, houseRole: houseRole, resource: resource)
    }

    /// ``house(_:for:)`` for someone who must manage the house: owners and
    /// administrators; 403 for its residents.
    @discardableResult
    func manage(_ houseID: Int, for principal: Principal, resource: String = "house") async throws -> HouseAccess {
        let access = try await house(houseID, for: principal, resource: resource)
        guard access.canManage else { throw APIError.forbidden("only an owner of this house may do this") }
        return access
    }
}

/// The caller's standing in one house.
enum HouseAccess: Sendable, Equatable {
    case admin
    case owner
    case resident

    /// Throws 404 for no house, or a house the caller has no link to.
    init(houseExists: Bool, userRole: UserRole, houseRole: HouseRole?, resource: String = "house") throws(APIError) {
        guard houseExists else { throw .notFound(resource) }
        if userRole == .admin {
            self = .admin
        } else {
            switch houseRole {
            case .owner: self = .owner
            case .resident: self = .resident
            case nil: throw .notFound(resource)
            }
        }
    }

    var canManage: Bool { self != .resident }
}
