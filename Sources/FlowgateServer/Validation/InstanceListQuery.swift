import Crypto
import FlowgateCore
import Foundation

/// `GET /v1/instances` filters, validated (docs/canonical-api.md#list-filters).
struct InstanceListQuery: Sendable {
    var connections: [String]
    var statuses: Set<InstanceStatus>?
    var definition: CanonicalID?
    var startedAfter: Date?
    var startedBefore: Date?
    var limit: Int
    var cursor: String?
    var strict: Bool
    var includeRaw: Bool

    static func parse(_ query: QueryReader) throws -> InstanceListQuery {
        var statuses: Set<InstanceStatus>?
        if let text = try query.string("status") {
            statuses = []
            for word in text.split(separator: ",", omittingEmptySubsequences: false) {
                guard let status = InstanceStatus(rawValue: String(word)) else {
                    let known = InstanceStatus.allCases.map(\.rawValue).joined(separator: ", ")
                    throw GatewayError.invalid("status", "'\(FieldName.printable(word))' is not a status (expected a comma list of: \(known))")
                }
                statuses?.insert(status)
            }
        }
        var definition: CanonicalID?
        if let text = try query.string("definition") {
            definition = try CanonicalIDField.require(text, field: "definition")
        }
        let after = try query.timestamp("started_after")
        let before = try query.timestamp("started_before")
        if let after, let before, after > before {
            throw GatewayError.invalid("started_after", "is later than started_before")
        }
        return InstanceListQuery(
            connections: try query.connections(), statuses: statuses, definition: definition, startedAfter: after,
            startedBefore: before, limit: try query.int("limit", in: 1...100) ?? 25,
            cursor: try query.string("cursor", bound: InputBounds.cursor), strict: try query.bool("strict") ?? false,
            includeRaw: try query.includeRaw()
        )
    }

    /// What a cursor is bound to besides the tenant: every filter, but not `limit` or `include`, which
    /// may change between pages without changing which items the list holds.
    var fingerprint: String {
        let parts: [String] = [
            connections.sorted().joined(separator: ","),
            statuses.map { $0.map(\.rawValue).sorted().joined(separator: ",") } ?? "*",
            definition?.description ?? "*",
            startedAfter.map(Timestamp.format) ?? "*",
            startedBefore.map(Timestamp.format) ?? "*",
        ]
        let digest = SHA256.hash(data: Data(parts.joined(separator: "\u{0}").utf8))
        return HexDigits.lowercase(digest.prefix(12))
    }
}
