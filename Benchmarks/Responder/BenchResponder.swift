import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// The baselines of `Benchmarks/run.sh` and `cache-hits.sh`: what the HTTP stack the gateway is built on
/// costs by itself, measured in the same run as the gateway so that each target can be read against
/// the floor it sits on. Its own executable, so the `flowgate` binary ships nothing of the benchmarks.
///
/// - default: bare Hummingbird answering every GET with the same bytes, as a cache hit does but
///   without a gateway's auth, routing and cache lookup;
/// - `--proxy URL`: bare Hummingbird passing every GET to `URL` + the same request-target through
///   AsyncHTTPClient (no redirects or decompression, as in the gateway's upstream client) and answering the upstream's bytes
///   unchanged: a miss without auth, cache, limits or any translation;
/// - `--nio`: SwiftNIO's HTTP/1 server pipeline and one channel handler answering the bytes, with no
///   Swift task per connection or request: what an idle connection costs below Hummingbird.
@main
struct BenchResponder: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-responder",
        abstract: "Benchmark baselines: answer every GET with a file's bytes, or pass it to an upstream."
    )

    @Option(help: "Port on 127.0.0.1.")
    var port: Int = 18090

    @Option(help: "File whose bytes every answer carries (not with --proxy).")
    var body: String?

    @Option(help: "Pass every GET to this base URL (e.g. http://127.0.0.1:19604) instead of answering a file.")
    var proxy: String?

    @Option(name: .customLong("upstream-header"), help: "A header line sent upstream with --proxy (\"Name: value\").")
    var upstreamHeaders: [String] = []

    @Flag(help: "Serve the file with SwiftNIO alone, without Hummingbird.")
    var nio = false

    func validate() throws {
        if (proxy == nil) == (body == nil) { throw ValidationError("give exactly one of --body and --proxy") }
        if nio && proxy != nil { throw ValidationError("--nio serves a file only") }
    }

    func run() async throws {
        if let proxy {
            try await servePassThrough(to: proxy)
        } else if let body {
            let bytes = ByteBuffer(bytes: try Data(contentsOf: URL(fileURLWithPath: body)))
            if nio { try await NIOResponder.serve(bytes, port: port) } else { try await serveBytes(bytes) }
        }
    }

    private func serveBytes(_ bytes: ByteBuffer) async throws {
        let router = Router()
        router.get("**") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: bytes))
        }
        try await Self.application(router, port: port).runService()
    }

    private func servePassThrough(to base: String) async throws {
        var headers = HTTPHeaders()
        for line in upstreamHeaders {
            guard let colon = line.firstIndex(of: ":") else { throw ValidationError("--upstream-header needs \"Name: value\"") }
            headers.add(name: String(line[..<colon]), value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        // The gateway's upstream client in the parts that matter per call: no redirects, no
        // decompression, keep-alive pool on AsyncHTTPClient's default event loops.
        let client = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: .init(redirectConfiguration: .disallow, decompression: .disabled)
        )
        let upstreamHeaders = headers
        let router = Router()
        router.get("**") { request, _ in
            var upstream = HTTPClientRequest(url: base + request.uri.description)
            upstream.headers = upstreamHeaders
            let answer = try await client.execute(upstream, timeout: .seconds(10))
            let bytes = try await answer.body.collect(upTo: 1 << 24)
            return Response(
                status: .init(code: Int(answer.status.code)), headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: bytes)
            )
        }
        do {
            try await Self.application(router, port: port).runService()
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    private static func application(_ router: Router<BasicRequestContext>, port: Int) -> some ApplicationProtocol {
        Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            logger: Logger(label: "bench-responder", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }
}
