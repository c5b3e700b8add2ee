import AsyncHTTPClient
import FlowgateCore
import FlowgateProviders
import NIOHTTP1

/// What the bucket and breaker stages read of an answer, whether it was collected whole (JSON calls)
/// or is being streamed (file downloads): its status and headers, and the body when there is one.
protocol UpstreamOutcome: Sendable {
    var asReply: UpstreamReply { get }
}

extension UpstreamReply: UpstreamOutcome {
    var asReply: UpstreamReply { self }
}

/// An answer whose head is in and whose body the caller streams.
struct OpenedAnswer: UpstreamOutcome {
    let response: HTTPClientResponse

    var asReply: UpstreamReply {
        UpstreamReply(status: Int(response.status.code), headers: response.headers.lowercasedNames, body: [])
    }
}
