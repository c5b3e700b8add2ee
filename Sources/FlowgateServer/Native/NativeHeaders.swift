import Foundation
import HTTPTypes
import NIOHTTP1

/// Which headers cross the gateway on a native call, each way.
///
/// End-to-end headers pass; hop-by-hop ones (RFC 9110 §7.6.1, plus whatever `Connection` lists) do not,
/// since they describe one connection, not the message. Toward the upstream, every credential a client
/// might send is dropped too — the caller's Flowgate key, any other `Authorization`, API key or cookie —
/// so only what the adapter injects authenticates the call. Back toward the client, `Set-Cookie` is
/// dropped (the upstream's session belongs to the gateway's credential) and the upstream's request id is
/// kept as `X-Upstream-Request-Id`, since the gateway's own `X-Request-Id` takes its place.
enum NativeHeaders {
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade",
    ]

    /// Credentials of any upstream or of the gateway itself, never forwarded.
    static let credentials: Set<String> = [
        "authorization", "x-api-key", "cookie", "x-auth-key", "x-auth-email", "x-auth-user-service-key", "tenant",
    ]

    /// Set by the gateway or the HTTP client for the upstream exchange, not copied from the client.
    static let replaced: Set<String> = ["host", "content-length", "expect", "x-request-id"]

    static let upstreamRequestID = "X-Upstream-Request-Id"

    /// The client's headers that go upstream, in order, then the gateway's request id.
    static func toUpstream(_ fields: HTTPFields, requestID: String?) -> [(name: String, value: String)] {
        let dropped = hopByHop.union(credentials).union(replaced).union(listedInConnection(fields[values: .connection]))
        var headers: [(name: String, value: String)] = []
        for field in fields where !dropped.contains(field.name.canonicalName) {
            headers.append((field.name.rawName, field.value))
        }
        if let requestID { headers.append(("X-Request-Id", requestID)) }
        return headers
    }

    /// The upstream's answer headers that go back to the client.
    static func toClient(_ headers: HTTPHeaders) -> HTTPFields {
        let dropped = hopByHop.union(["set-cookie", "x-request-id"]).union(listedInConnection(headers["connection"]))
        var fields = HTTPFields()
        fields.reserveCapacity(headers.count)
        for header in headers {
            let lowercased = header.name.lowercased()
            if lowercased == "x-request-id", let name = HTTPField.Name(upstreamRequestID) {
                fields.append(HTTPField(name: name, value: header.value))
                continue
            }
            guard !dropped.contains(lowercased), let name = HTTPField.Name(header.name) else { continue }
            fields.append(HTTPField(name: name, value: header.value))
        }
        return fields
    }

    /// Header names a `Connection` header lists: hop-by-hop by declaration.
    private static func listedInConnection(_ values: [String]) -> Set<String> {
        Set(values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
    }
}
