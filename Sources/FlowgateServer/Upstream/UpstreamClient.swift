import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The process's one upstream HTTP client.
///
/// Configured for a gateway, not a browser: redirects are passed back rather than followed (an
/// upstream's 3xx must not send credentials elsewhere), bodies stay compressed as sent, the pool per
/// host is explicit, and every call has a deadline on the *whole* answer — AsyncHTTPClient's own
/// deadline covers only the response head. Run as a `Service` so it shuts down after the server drains.
public final class UpstreamClient: Service, Sendable {
    /// A complete upstream answer.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: ByteBuffer
    }

    /// Why an upstream call produced no answer.
    public enum Failure: Error, Sendable, Equatable {
        /// The whole answer was not in by the deadline.
        case timeout
        /// No connection could be made.
        case connect
        /// The answer was larger than the caller accepts.
        case bodyTooLarge
        /// The connection broke mid-answer, or the answer was not HTTP.
        case transport
    }

    let client: HTTPClient

    public init(settings: ServerSettings, logger: Logger) {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            // The read timeout bounds each stall of a streamed body (file downloads); collected answers
            // also have the whole-answer deadline of `fetch`.
            timeout: .init(
                connect: .nanoseconds(settings.upstreamConnectTimeout.nanoseconds), read: .nanoseconds(settings.upstreamTimeout.nanoseconds)
            ),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: settings.upstreamPoolSize),
            decompression: .disabled
        )
        // A refused connection should fail now, for the breaker and retry policy to judge, not be retried
        // silently until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        // The client logs through its own capped logger (``UpstreamClientLogHandler``): at `trace` it would
        // write upstream answer heads and body bytes.
        self.client = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration,
            backgroundActivityLogger: UpstreamClientLogHandler.logger(over: logger)
        )
    }

    public func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }

    /// Sends `request` and collects the whole answer, failing with `.timeout` if head and body are not
    /// both in within `timeout`.
    public func fetch(_ request: HTTPClientRequest, timeout: Duration, maxBodyBytes: Int, logger: Logger) async throws(Failure) -> Answer {
        let client = self.client
        let logger = UpstreamClientLogHandler.logger(over: logger)
        do {
            return try await withThrowingTaskGroup(of: Answer?.self) { group in
                group.addTask {
                    let response = try await client.execute(request, timeout: .nanoseconds(timeout.nanoseconds), logger: logger)
                    let body = try await response.body.collect(upTo: maxBodyBytes)
                    return Answer(status: Int(response.status.code), headers: response.headers, body: body)
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let answer = first else { throw Failure.timeout }
                return answer
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Self.classify(error)
        }
    }

    /// Sends `request` and returns once the response head is in (within `timeout`); the caller
    /// streams the body, each stall of which is bounded by the client's read timeout.
    public func open(_ request: HTTPClientRequest, timeout: Duration, logger: Logger) async throws(Failure) -> HTTPClientResponse {
        do {
            return try await client.execute(
                request, timeout: .nanoseconds(timeout.nanoseconds), logger: UpstreamClientLogHandler.logger(over: logger))
        } catch {
            throw Self.classify(error)
        }
    }

    static func classify(_ error: any Error) -> Failure {
        switch error {
        case is NIOTooManyBytesError:
            return .bodyTooLarge
        case let error as HTTPClientError:
            if error == .connectTimeout { return .connect }
            if [.deadlineExceeded, .readTimeout, .getConnectionFromPoolTimeout].contains(error) { return .timeout }
            return .transport
        case is NIOConnectionError:
            return .connect
        case let error as IOError where [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH].contains(error.errnoCode):
            return .connect
        case is CancellationError:
            // The caller went away or its own deadline passed: no answer in time, from its point of view.
            return .timeout
        default:
            return .transport
        }
    }
}

extension HTTPHeaders {
    /// The headers as ``UpstreamReply`` holds them: names lowercased, one value each.
    var lowercasedNames: [String: String] {
        var headers: [String: String] = [:]
        for header in self { headers[header.name.lowercased()] = header.value }
        return headers
    }
}
