/// Where a merged multi-connection list stopped: each connection's upstream position.
///
/// Callers see it only sealed (``CursorSealer``): opaque, URL-safe, encrypted and authenticated, and
/// bound to the tenant and to the list's filters, so it can neither be forged, nor read, nor replayed
/// by another tenant, nor reused with other filters (which would make "every item exactly once"
/// meaningless). The tenant is bound by the seal, not stored in the token.
public struct ListCursor: Sendable, Hashable, Codable {
    /// The tenant the cursor was issued to (authenticated by the seal, not written into the token).
    public var tenant: String
    /// A fingerprint of the filters of the list that issued it.
    public var query: String
    /// Each connection's upstream position, in whatever shape its provider needs; a connection with no
    /// entry is exhausted.
    public var positions: [String: JSONValue]

    public init(tenant: String, query: String, positions: [String: JSONValue]) {
        self.tenant = tenant
        self.query = query
        self.positions = positions
    }

    enum CodingKeys: String, CodingKey {
        case tenant = "t"
        case query = "q"
        case positions = "p"
    }
}
