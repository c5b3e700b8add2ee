import Foundation

@testable import FlowgateServer

/// What the hit path's tests share: a config whose instance reads stay fresh for an hour (a loaded
/// machine must not turn a hit into a miss), raw requests, and reading several answers off one
/// connection.
enum HitPath {
    static let workingflow = "/v1/instances/wf:50100"
    static let cloudflare = "/v1/instances/cf:order-fulfillment:order-10230"

    /// `configYAML` with an hour's TTL on the Workingflow and Cloudflare instance reads; `edit` after.
    static func config(
        rwKeyRate: String? = nil, server: String = "", _ edit: @escaping @Sendable (String) -> String = { $0 }
    )
        -> @Sendable (LiveStack) -> String
    {
        { stack in
            let yaml = stack.configYAML(
                extraConnections: "        cache: {ttl_s: {get_instance: 3600}}", server: server, rwKeyRate: rwKeyRate
            ).replacingOccurrences(
                of: "credentials: {api_key: \(LiveStack.Demo.workingflowKey)}\n      - name: geo",
                with: "credentials: {api_key: \(LiveStack.Demo.workingflowKey)}\n        cache: {ttl_s: {get_instance: 3600}}\n      - name: geo"
            )
            return edit(yaml)
        }
    }

    /// A keep-alive request as bytes; `key` nil sends no `Authorization`.
    static func request(
        _ target: String, key: String? = TestKeys.acmeReadWrite, id: String? = nil, method: String = "GET", extra: [String] = []
    ) -> String {
        var lines = ["\(method) \(target) HTTP/1.1", "Host: 127.0.0.1"]
        if let key { lines.append("Authorization: Bearer \(key)") }
        if let id { lines.append("X-Request-Id: \(id)") }
        return (lines + extra).joined(separator: "\r\n") + "\r\n\r\n"
    }

    /// Every complete answer in `text`, in order, each with its raw bytes; those at `positions` (answers
    /// to `HEAD`) are read as a head alone.
    static func answers(_ text: String, headAt positions: Set<Int> = []) -> [(raw: String, response: RawResponse)] {
        var rest = Substring(text)
        var found: [(String, RawResponse)] = []
        while let end = rest.range(of: "\r\n\r\n") {
            let headOnly = positions.contains(found.count)
            guard let parsed = RawResponse(String(rest), headOnly: headOnly) else { break }
            let length = headOnly ? 0 : (parsed.header("content-length").flatMap(Int.init) ?? 0)
            let bodyEnd = rest.utf8.index(end.upperBound, offsetBy: length)
            found.append((String(rest[..<bodyEnd]), parsed))
            rest = rest[bodyEnd...]
        }
        return found
    }

    /// `text` with the value of every `Date` header replaced: the one field two runs cannot share.
    static func withoutDates(_ text: String) -> String {
        text.split(separator: "\r\n", omittingEmptySubsequences: false)
            .map { $0.lowercased().hasPrefix("date: ") ? "Date: <date>" : String($0) }
            .joined(separator: "\r\n")
    }

    /// Reads until `count` answers are complete on `connection` (or it closes, or 10 s pass).
    static func read(
        _ count: Int, from connection: inout RawConnection, headAt positions: Set<Int> = []
    ) async -> [(raw: String, response: RawResponse)] {
        let text = await connection.read(until: { answers($0, headAt: positions).count >= count })
        return answers(text, headAt: positions)
    }

    /// Sends each request only after the answer to the one before (so each is one the hit path may
    /// take: none is waiting behind another) and returns their answers, after the `already` read before.
    static func oneByOne(_ requests: [String], on connection: inout RawConnection, already: Int) async throws -> [RawResponse] {
        var count = already
        for request in requests {
            try await connection.send(request)
            count += 1
            _ = await read(count, from: &connection)
        }
        return answers(connection.received).dropFirst(already).map(\.response)
    }
}
