import PostgresNIO

/// A query's rows are read to the end every time: a row sequence left half-read keeps its pooled
/// connection leased, and a pool with a lease outstanding cannot shut down.
extension PostgresClient {
    /// Runs a statement whose rows (if any) do not matter.
    func execute(_ query: PostgresQuery) async throws {
        for try await _ in try await self.query(query) {}
    }

    /// Every row of `query`, decoded.
    func rows<each Column: PostgresDecodable & Sendable>(
        _ query: PostgresQuery, as types: (repeat each Column).Type
    ) async throws -> [(repeat each Column)] {
        var rows: [(repeat each Column)] = []
        for try await row in try await self.query(query).decode(types) { rows.append(row) }
        return rows
    }

    /// The first row of `query`, decoded; the rest are read and dropped.
    func firstRow<each Column: PostgresDecodable & Sendable>(
        _ query: PostgresQuery, as types: (repeat each Column).Type
    ) async throws -> (repeat each Column)? {
        try await rows(query, as: types).first
    }
}

extension PostgresConnection {
    func execute(_ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await self.query(query, logger: logger) {}
    }
}
