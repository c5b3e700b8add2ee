import FlowgateCore

/// An upstream JSON object read by field name whatever the upstream's key style: `document_type`
/// finds `document_type`, `documentType`, `DOCUMENT_TYPE` or `DocumentType`. An exact key wins; then
/// keys are compared lowercased without `_` and `-`, first in key order should two compare equal.
///
/// Names passed in are written the way the upstream documents them, so an exact match is the usual case.
public struct UpstreamObject: Sendable {
    public let members: [String: JSONValue]

    public init(_ members: [String: JSONValue]) {
        self.members = members
    }

    /// The object, or nil when `value` is not one.
    public init?(_ value: JSONValue?) {
        guard case .object(let members)? = value else { return nil }
        self.members = members
    }

    /// The first of `names` present with a non-null value; `.null` when one is present but null; nil
    /// when none is present at all.
    public subscript(_ names: String...) -> JSONValue? {
        value(names)
    }

    public func value(_ names: [String]) -> JSONValue? {
        var sawNull = false
        for name in names {
            switch lookup(name) {
            case nil: continue
            case .null?: sawNull = true
            case let value?: return value
            }
        }
        return sawNull ? .null : nil
    }

    private func lookup(_ name: String) -> JSONValue? {
        if let exact = members[name] { return exact }
        let wanted = Self.normalized(name)
        return members.keys.sorted().first { Self.normalized($0) == wanted }.flatMap { members[$0] }
    }

    static func normalized(_ key: String) -> String {
        String(key.lowercased().unicodeScalars.filter { $0 != "_" && $0 != "-" })
    }
}
