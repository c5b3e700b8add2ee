import FlowgateCore
import FlowgateProviders
import Foundation
import Hummingbird

/// Path captures arrive percent-encoded; these decode and check them before anything uses them.
enum PathParameters {
    /// The `{id}` capture as a canonical instance id (``CanonicalIDField``).
    static func instanceID(_ context: GatewayRequestContext) throws -> CanonicalID {
        try CanonicalIDField.require(try decoded("id", context), field: "id")
    }

    /// A plain segment (`{type}`, `{name}`): within `bound` (UTF-8 bytes), no control characters, and
    /// not `.` or `..` (they would navigate the upstream path, not name something in it).
    static func segment(_ name: String, _ context: GatewayRequestContext, bound: ClosedRange<Int>) throws -> String {
        let text = try decoded(name, context)
        if let issue = InputBounds.issue(text, bound) { throw GatewayError.invalid(name, issue) }
        guard !text.containsControlCharacters else {
            throw GatewayError.invalid(name, "contains a control character")
        }
        guard !PathSegment.isDotSegment(text) else {
            throw GatewayError.invalid(name, "'.' and '..' are path navigation, not names")
        }
        return text
    }

    private static func decoded(_ name: String, _ context: GatewayRequestContext) throws -> String {
        guard let raw = context.parameters.get(name) else { throw GatewayError.invalid(name, "is missing") }
        // Most captures carry no escape at all; Foundation's decoding is costly enough to skip then.
        guard Self.containsPercent(raw) else { return String(raw) }
        guard let text = raw.removingPercentEncoding else { throw GatewayError.invalid(name, "has invalid percent-encoding") }
        return text
    }

    /// Whether a capture has an escape, searched in the bytes in place: walking a substring's UTF-8
    /// view cost more than the rest of the check.
    private static func containsPercent(_ raw: some StringProtocol) -> Bool {
        raw.utf8.withContiguousStorageIfAvailable { $0.contains(UInt8(ascii: "%")) } ?? raw.utf8.contains(UInt8(ascii: "%"))
    }
}
