import FlowgateCore
import Foundation
import Hummingbird
import HummingbirdCore

/// Typed access to query parameters, each failure a `400` naming the parameter. Unknown and repeated
/// parameters were already refused by ``QueryValidationMiddleware``.
struct QueryReader {
    let parameters: FlatDictionary<Substring, Substring>

    init(_ request: Request) {
        self.parameters = request.uri.queryParameters
    }

    func string(_ name: String, bound: ClosedRange<Int> = InputBounds.queryValue) throws -> String? {
        try parameters[Substring(name)].map { try validated(name, $0, bound: bound) }
    }

    /// Every `connection=` value (repeatable): each must be a connection name as config defines them,
    /// 1–63 bytes of `a-z`, `0-9`, `-` and `_`.
    func connections() throws -> [String] {
        try parameters[values: Substring("connection")].map { raw in
            let text = try validated("connection", raw, bound: InputBounds.connectionName)
            guard InputBounds.isConnectionName(text) else {
                throw GatewayError.invalid("connection", "must be a connection name: a-z, 0-9, '-' and '_', starting with a letter or digit")
            }
            return text
        }
    }

    /// One value, bounded in UTF-8 bytes and free of control characters: values end up in logs and
    /// error messages.
    private func validated(_ name: String, _ raw: Substring, bound: ClosedRange<Int>) throws -> String {
        if let issue = InputBounds.issue(raw, bound) { throw GatewayError.invalid(name, issue) }
        let text = String(raw)
        guard !text.containsControlCharacters else { throw GatewayError.invalid(name, "contains a control character") }
        return text
    }

    func bool(_ name: String) throws -> Bool? {
        guard let text = try string(name) else { return nil }
        switch text {
        case "true", "1": return true
        case "false", "0": return false
        default: throw GatewayError.invalid(name, "must be true or false")
        }
    }

    func int(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = try string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw GatewayError.invalid(name, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func timestamp(_ name: String) throws -> Date? {
        guard let text = try string(name, bound: 0...64) else { return nil }
        // Strict, unlike upstream timestamps: a mistyped filter is a 400, not a shifted list (RFC3339).
        guard let date = RFC3339.parse(text) else {
            throw GatewayError.invalid(name, "must be an RFC 3339 date-time with a zone, e.g. 2026-03-15T13:00:00Z")
        }
        return date
    }

    /// `include=raw` is the only inclusion there is.
    func includeRaw() throws -> Bool {
        guard let text = try string("include") else { return false }
        guard text == "raw" else { throw GatewayError.invalid("include", "must be 'raw'") }
        return true
    }
}
