import FlowgateCore
import FlowgateProviders

/// The upstream path of a native call: the request path after `/v1/connections/{name}/native`, read
/// segment by segment, percent-decoded once and refused (`400`) when it could mean something other than
/// what the allow-list sees — a dot segment, an encoded slash or backslash, a backslash, an escape left
/// after decoding (double encoding), a control character, an empty segment. What goes upstream is the
/// decoded segments encoded again, so the upstream reads exactly the path that was checked.
struct NativePath: Sendable, Hashable {
    /// Decoded segments, without a trailing slash's empty one.
    let segments: [String]
    /// The path sent upstream, every segment percent-encoded (RFC 3986 unreserved kept).
    let encoded: String

    /// `raw` is the part of the request path after `…/native`, escapes as sent.
    static func parse(_ raw: Substring) throws -> NativePath {
        guard raw.hasPrefix("/") else { throw invalid("must start with /") }
        var parts = raw.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        // One trailing slash is kept as sent; an empty segment anywhere else is refused.
        let trailingSlash = parts.count > 1 && parts.last?.isEmpty == true
        if trailingSlash { parts.removeLast() }
        var segments: [String] = []
        for part in parts {
            segments.append(try segment(part))
        }
        let encoded = "/" + segments.map(PathSegment.encode).joined(separator: "/") + (trailingSlash ? "/" : "")
        return NativePath(segments: segments, encoded: encoded)
    }

    private static func segment(_ raw: Substring) throws -> String {
        guard !raw.isEmpty else { throw invalid("has an empty segment") }
        guard !raw.utf8.contains(UInt8(ascii: "\\")) else { throw invalid("contains a backslash") }
        guard let bytes = percentDecoded(raw.utf8) else { throw invalid("has invalid percent-encoding") }
        if bytes.contains(UInt8(ascii: "/")) { throw invalid("contains an encoded slash (%2F)") }
        if bytes.contains(UInt8(ascii: "\\")) { throw invalid("contains an encoded backslash (%5C)") }
        if bytes.contains(UInt8(ascii: "%")) { throw invalid("contains an escape after decoding (double encoding)") }
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) { throw invalid("contains a control character") }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw invalid("is not UTF-8 after decoding") }
        // `..;x` is a dot segment to servers that strip path parameters before resolving (Tomcat, Spring).
        let name = text.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        if name == "." || name == ".." { throw invalid("contains a dot segment ('.' or '..')") }
        return text
    }

    /// The bytes `%XX` escapes stand for; nil for a malformed escape.
    private static func percentDecoded(_ raw: Substring.UTF8View) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var iterator = raw.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func invalid(_ issue: String) -> GatewayError {
        GatewayError.invalid("path", issue)
    }
}

/// The query string of a native call, forwarded as sent once it is known to be plain printable ASCII
/// (escapes included): it cannot change the path, and the upstream decodes it as the client wrote it.
enum NativeQuery {
    static func check(_ query: String?) throws -> String? {
        guard let query, !query.isEmpty else { return nil }
        guard query.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw GatewayError.invalid("query", "must be printable ASCII (percent-encode anything else)")
        }
        return query
    }
}
