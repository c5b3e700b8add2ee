import ArgumentParser
import Foundation
import Hummingbird
import Logging

/// The baseline of `Benchmarks/run.sh` and `cache-hits.sh`: a bare Hummingbird server answering every
/// GET with the same bytes, as a cache hit does but without a gateway's auth, routing and cache lookup.
/// Its own executable, so the `flowgate` binary ships nothing of the benchmarks.
@main
struct BenchResponder: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-responder", abstract: "Benchmark baseline: answer every GET with the bytes of a file."
    )

    @Option(help: "Port on 127.0.0.1.")
    var port: Int = 18090

    @Option(help: "File whose bytes every answer carries.")
    var body: String

    func run() async throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: body))
        let router = Router()
        router.get("**") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes))
            )
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            logger: Logger(label: "bench-responder", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        try await app.runService()
    }
}
