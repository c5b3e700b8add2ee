import AsyncHTTPClient
import FlowgateEmulators
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

/// Emulators for tests that make many calls quickly: Bitrix24's portal limit (10/s) raised so a
/// burst of pages is not refused as `BITRIX_UNAVAILABLE`. The other limits stay as documented.
func burstFriendlyEmulators() -> [any Emulator] {
    [
        Bitrix24Emulator(rateLimits: .init(requestsPerMinute: 10_000, portalRequestsPerSecond: 1_000)), WorkingflowEmulator(),
        GeotareasEmulator(), CloudflareEmulator(),
    ]
}

/// A canonical answer, decoded on access for assertions (bytes kept so it can cross tasks).
struct Canonical: Sendable {
    let status: Int
    let headers: HTTPFields
    let text: String

    init(_ response: TestResponse) throws {
        status = Int(response.status.code)
        headers = response.headers
        text = String(buffer: response.body)
        _ = try (JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]).unwrap("not a JSON object: \(text)")
    }

    var document: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }

    var data: [String: Any]? { document["data"] as? [String: Any] }
    var items: [[String: Any]] { document["data"] as? [[String: Any]] ?? [] }
    var meta: [String: Any] { document["meta"] as? [String: Any] ?? [:] }
    var error: [String: Any]? { document["error"] as? [String: Any] }
    var ids: [String] { items.compactMap { $0["id"] as? String } }
}

extension Optional {
    func unwrap(_ message: @autoclosure () -> String) throws -> Wrapped {
        guard let self else { throw E2EFailure(message()) }
        return self
    }
}

struct E2EFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension TestClientProtocol {
    /// Sends a request with the acme read-write key, checks the answer against the spec for
    /// `template`, and returns it decoded.
    func canonical(
        _ uri: String, _ method: HTTPRequest.Method = .get, template: String, key: String = TestKeys.acmeReadWrite, body: String? = nil,
        headers extra: HTTPFields = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Canonical {
        var headers = HTTPFields.bearer(key)
        headers.append(contentsOf: extra)
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            OpenAPIValidator.shared.check(response, path: template, method: method.rawValue, sourceLocation: sourceLocation)
            return try Canonical(response)
        }
    }
}

/// `started_at` of a canonical item as a date (nil when null).
func startedAt(_ item: [String: Any]) -> Date? {
    (item["started_at"] as? String).flatMap { try? Date($0, strategy: .iso8601) }
}

/// One documented upstream error code, forced in the upstream's own envelope, and the canonical
/// error it must become.
struct UpstreamErrorCase: Sendable, CustomTestStringConvertible {
    var status: Int
    var code: String
    var canonical: String
    var httpStatus: Int
    var testDescription: String { "\(status) \(code) → \(httpStatus) \(canonical)" }
}

/// Runs `body` with an HTTP client that is shut down on every path: AsyncHTTPClient stops the whole
/// test process when a client is released without `shutdown()` (a debug-build precondition).
func withHTTPClient<Value: Sendable>(
    _ configuration: HTTPClient.Configuration = HTTPClient.Configuration(), _ body: (HTTPClient) async throws -> Value
) async throws -> Value {
    let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    do {
        let value = try await body(http)
        try await http.shutdown()
        return value
    } catch {
        try? await http.shutdown()
        throw error
    }
}

/// Waits (polling every 5 ms, at most `timeout` of real time) until `condition` holds: for work the
/// gateway finishes in the background (a stale-while-revalidate refresh), never a fixed sleep.
func eventually(
    timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation, _ condition: @Sendable () async throws -> Bool
) async throws {
    let limit = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < limit else {
            Issue.record("the condition did not hold within \(timeout)", sourceLocation: sourceLocation)
            return
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// Fetches the Workingflow emulator's 100 MiB survey file from `url` with `key` and checks it as it
/// arrives, buffer by buffer, never holding it: its length, the index each 64 KiB chunk starts with
/// (wherever a chunk starts inside a buffer), and that no buffer is large — nothing collected the body.
func expectTheSurveyFileStreams(from url: String, key: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    var request = HTTPClientRequest(url: url)
    request.headers.add(name: "Authorization", value: "Bearer \(key)")
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(300))
    #expect(response.status.code == 200, sourceLocation: sourceLocation)
    #expect(response.headers.first(name: "Content-Disposition") == #"attachment; filename="drone-survey.bin""#, sourceLocation: sourceLocation)
    #expect(response.headers.first(name: "Content-Length") == String(100 * 1024 * 1024), sourceLocation: sourceLocation)
    let chunkSize = 64 * 1024
    var total = 0
    var largest = 0
    var checked = 0
    for try await buffer in response.body {
        var offset = (chunkSize - total % chunkSize) % chunkSize
        while offset + 8 <= buffer.readableBytes {
            #expect(
                buffer.getInteger(at: buffer.readerIndex + offset, as: UInt64.self) == UInt64((total + offset) / chunkSize),
                sourceLocation: sourceLocation)
            checked += 1
            offset += chunkSize
        }
        total += buffer.readableBytes
        largest = max(largest, buffer.readableBytes)
    }
    #expect(total == 100 * 1024 * 1024, sourceLocation: sourceLocation)
    #expect(checked > 1000, sourceLocation: sourceLocation)
    #expect(largest < 4 * 1024 * 1024, "buffers stay small: nothing collected the whole body", sourceLocation: sourceLocation)
}
