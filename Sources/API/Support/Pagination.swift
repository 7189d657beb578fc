import Hummingbird

/// `?limit=&offset=` of a list request, checked against the configured bounds.
///
/// Every list is ordered by a unique key (the id, or the id last for
/// time-ordered lists), so pages do not overlap or skip rows while the data
/// stands still.
struct Pagination: Sendable {
    var limit: Int
    var offset: Int

    init(limit: Int, offset: Int) {
        self.limit = limit
        self.offset = offset
    }

    init(_ request: Request, configuration: APIConfiguration) throws(APIError) {
        let query = request.uri.queryParameters
        limit = configuration.defaultPageSize
        offset = 0
        if let text = query["limit"] {
            guard let value = Int(String(text)), (1 ... configuration.maxPageSize).contains(value) else {
                throw .invalid("limit", "must be an integer from 1 to \(configuration.maxPageSize)")
            }
            limit = value
        }
        if let text = query["offset"] {
            guard let value = Int(String(text)), value >= 0, value <= Int(Int32.max) else {
                throw .invalid("offset", "must be a non-negative integer")
            }
            offset = value
        }
    }

    /// Asks the database for one row more than the page holds, to learn
    /// whether another page follows without counting the whole table.
    var fetchLimit: Int { limit + 1 }

    /// The page from rows fetched with ``fetchLimit``.
    func page<Item: Encodable & Sendable>(_ rows: [Item]) -> Page<Item> {
        let hasMore = rows.count > limit
        return Page(items: Array(rows.prefix(limit)), limit: limit, offset: offset, nextOffset: hasMore ? offset + limit : nil)
    }
}

/// One page of a list: the items and where the next page starts (null on the last page).
struct Page<Item: Encodable & Sendable>: Encodable, Sendable {
    var items: [Item]
    var limit: Int
    var offset: Int
    var nextOffset: Int?

    enum CodingKeys: String, CodingKey {
        case items, limit, offset
        case nextOffset = "next_offset"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(limit, forKey: .limit)
        try container.encode(offset, forKey: .offset)
        // Always present, null on the last page, so clients need not test for the key.
        try container.encode(nextOffset, forKey: .nextOffset)
    }
}
