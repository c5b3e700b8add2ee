import AsyncHTTPClient
import FlowgateCore
import FlowgateProviders
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

@testable import FlowgateServer

/// What the stage tests share: one tenant's connection, calls, and replies.
enum StageFixtures {
    static let owner = ConnectionLabels(tenant: "acme", connection: "geo", provider: .geotareas)

    static func read(bucket: String = "reads") -> UpstreamCall {
        UpstreamCall(route: "get_instance", method: "GET", path: "/apidev/v1/workflow/instances/1", bucket: bucket, isRead: true)
    }

    static func write(bucket: String = "writes") -> UpstreamCall {
        UpstreamCall(route: "start_instance", method: "POST", path: "/apidev/v1/workflow/instances", bucket: bucket, isRead: false)
    }

    static func reply(_ status: Int, headers: [String: String] = [:]) -> UpstreamReply {
        UpstreamReply(status: status, headers: headers, body: Array("{}".utf8))
    }

    /// A connection's buckets by name, all keyed by one credential.
    static func buckets(_ shapes: [String: BucketShape], credential: String = "digest") -> [String: BucketDraw] {
        shapes.reduce(into: [:]) { $0[$1.key] = BucketDraw(key: BucketKey(credential: credential, bucket: $1.key), shape: $1.value) }
    }

    static func budget(_ clock: ManualClock, _ remaining: Duration) -> CallBudget {
        CallBudget(deadline: clock.now + remaining, bound: .call(remaining))
    }
}

/// Answers and counts calls in order; a scripted outcome per attempt, the last one repeating.
final class ScriptedAttempts: Sendable {
    enum Outcome: Sendable {
        case reply(Int)
        case failure(UpstreamClient.Failure)
    }

    private let script: [Outcome]
    private let calls = Mutex(0)

    init(_ script: [Outcome]) {
        self.script = script
    }

    var count: Int { calls.withLock { $0 } }

    func next() throws(UpstreamClient.Failure) -> UpstreamReply {
        let index = calls.withLock { calls in
            defer { calls += 1 }
            return calls
        }
        switch script[min(index, script.count - 1)] {
        case .reply(let status): return StageFixtures.reply(status)
        case .failure(let failure): throw failure
        }
    }
}

/// An HTTP client that answers the scripted statuses at once (the last one repeating) and remembers
/// each request and the timeout it was given.
final class RecordingHTTP: UpstreamHTTP {
    struct Seen: Sendable {
        var url: String
        var method: String
        var timeout: Duration
    }

    private let seen = Mutex<[Seen]>([])
    private let statuses: [Int]

    init(statuses: [Int] = [200]) {
        self.statuses = statuses
    }

    var requests: [Seen] { seen.withLock { $0 } }

    func fetch(
        _ request: HTTPClientRequest, timeout: Duration, maxBodyBytes: Int, logger: Logger
    ) async throws(UpstreamClient.Failure)
        -> UpstreamClient.Answer
    {
        let index = seen.withLock { seen in
            seen.append(Seen(url: request.url, method: request.method.rawValue, timeout: timeout))
            return seen.count - 1
        }
        return UpstreamClient.Answer(
            status: statuses[min(index, statuses.count - 1)], headers: ["Content-Type": "application/json"], body: ByteBuffer(string: "{}"))
    }

    func open(_ request: HTTPClientRequest, timeout: Duration, logger: Logger) async throws(UpstreamClient.Failure) -> HTTPClientResponse {
        seen.withLock { $0.append(Seen(url: request.url, method: request.method.rawValue, timeout: timeout)) }
        throw .transport
    }
}
