import FlowgateCore
import Foundation
import Hummingbird

/// Path captures arrive percent-encoded; these decode and check them before anything uses them.
enum PathParameters {
    /// The `{id}` capture as a canonical instance id.
    static func instanceID(_ context: GatewayRequestContext) throws -> CanonicalID {
        let text = try decoded("id", context)
        switch CanonicalID.parse(text) {
        case .success(let id): return id
        case .failure(let problem): throw GatewayError.invalid("id", problem.description)
        }
    }

    /// A plain segment (`{type}`, `{name}`): non-empty, bounded, no control characters.
    static func segment(_ name: String, _ context: GatewayRequestContext, maxLength: Int = 512) throws -> String {
        let text = try decoded(name, context)
        guard !text.isEmpty else { throw GatewayError.invalid(name, "is empty") }
        guard text.count <= maxLength else { throw GatewayError.invalid(name, "is \(text.count) characters long; at most \(maxLength) are allowed") }
        guard !text.containsControlCharacters else {
            throw GatewayError.invalid(name, "contains a control character")
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
