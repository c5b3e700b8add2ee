import FlowgateServer
import Foundation
import Logging
import Synchronization
import Testing

/// Setting metadata no longer formats it; the written lines must read exactly as StreamLogHandler's own.
struct DeferredMetadataLogHandlerTests {
    final class Lines: TextOutputStream, @unchecked Sendable {
        // Written only by the synchronous log calls of one test.
        var text = ""
        func write(_ string: String) { text += string }
    }

    private func twoLoggers() -> (plain: Logger, deferred: Logger, plainLines: Lines, deferredLines: Lines) {
        let plainLines = Lines()
        let deferredLines = Lines()
        let plain = Logger(label: "t") { StreamLogHandler(label: $0, stream: plainLines, metadataProvider: nil) }
        let deferred = Logger(label: "t") {
            DeferredMetadataLogHandler(StreamLogHandler(label: $0, stream: deferredLines, metadataProvider: nil))
        }
        return (plain, deferred, plainLines, deferredLines)
    }

    /// Drops the timestamp, which differs between two calls.
    private func withoutTimestamps(_ text: String) -> [Substring] {
        text.split(separator: "\n").map { $0.drop(while: { $0 != " " }) }
    }

    @Test func linesReadAsStreamLogHandlerWritesThem() {
        var (plain, deferred, plainLines, deferredLines) = twoLoggers()
        for index in 0..<2 {
            var logger = index == 0 ? plain : deferred
            logger[metadataKey: "hb.request.id"] = "r-1"
            logger[metadataKey: "tenant"] = "acme"
            logger.info("plain line")
            logger.info("with metadata", metadata: ["tenant": "override", "extra": "1"])
            logger.debug("below the level")
            logger.error("with error", error: CocoaError(.fileNoSuchFile))
            if index == 0 { plain = logger } else { deferred = logger }
        }
        #expect(withoutTimestamps(plainLines.text) == withoutTimestamps(deferredLines.text))
        #expect(deferredLines.text.contains("hb.request.id=r-1 tenant=acme [FlowgateServerTests] plain line"))
        #expect(deferredLines.text.contains("extra=1 hb.request.id=r-1 tenant=override"))
        #expect(!deferredLines.text.contains("below the level"))
    }

    @Test func metadataAndLevelAreTheHandlersOwn() {
        var logger = Logger(label: "t") { DeferredMetadataLogHandler(StreamLogHandler(label: $0, stream: Lines(), metadataProvider: nil)) }
        logger.logLevel = .warning
        logger[metadataKey: "a"] = "1"
        #expect(logger.logLevel == .warning)
        #expect(logger[metadataKey: "a"] == "1")
        var copy = logger
        copy[metadataKey: "a"] = "2"
        #expect(logger[metadataKey: "a"] == "1", "value semantics, as every LogHandler")
    }
}
