import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// One request an emulator received, exactly as the gateway sent it.
public struct RecordedRequest: Sendable {
    public var method: HTTPRequest.Method
    /// Path without the query, percent-encoding kept.
    public var path: String
    public var query: String?
    public var headers: HTTPFields
    public var body: ByteBuffer
    /// When it arrived on the emulator's clock, for tests that check an upstream's sliding windows.
    public var receivedAt: Date = Date()
}

/// Everything an emulator received, so a test can assert what the gateway sent upstream: which
/// credentials it injected, which headers it dropped, how many calls a burst of callers became.
public final class RequestRecorder: Sendable {
    private let requests = Mutex<[RecordedRequest]>([])

    public init() {}

    public var all: [RecordedRequest] { requests.withLock { $0 } }

    public var count: Int { requests.withLock { $0.count } }

    public func clear() { requests.withLock { $0.removeAll() } }

    func record(_ request: RecordedRequest) { requests.withLock { $0.append(request) } }
}

/// Records each request, body included, before the emulator's routes see it.
public struct RecordingMiddleware<Context: RequestContext>: RouterMiddleware {
    let recorder: RequestRecorder
    /// Bodies an emulator accepts are small; anything larger is a gateway bug worth a 413.
    let maxBodyBytes: Int
    /// The emulator's clock (a test's, when it drives one).
    let now: @Sendable () -> Date

    public init(recorder: RequestRecorder, maxBodyBytes: Int = 1 << 20, now: @escaping @Sendable () -> Date = Date.init) {
        self.recorder = recorder
        self.maxBodyBytes = maxBodyBytes
        self.now = now
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !request.uri.path.hasPrefix(EmulatorControl.prefix) else { return try await next(request, context) }
        var request = request
        // collectBody stores the bytes back into the request, so routes can still read the body.
        let body = try await request.collectBody(upTo: maxBodyBytes)
        recorder.record(
            RecordedRequest(
                method: request.method, path: request.uri.path, query: request.uri.query, headers: request.headers, body: body, receivedAt: now()
            )
        )
        return try await next(request, context)
    }
}
