import AsyncHTTPClient
import FlowgateEmulators
import Foundation
import NIOCore
import Testing

/// A 100 MiB Workingflow file through the native route: bytes as the upstream sent them, in bounded
/// memory (never collected), with the upstream's own headers.
@Suite struct NativeStreamingTests {
    @Test func aHundredMebibyteFileStreamsThroughTheNativeRoute() async throws {
        try await LiveStack.run { _, client in
            let port = try #require(client.port)
            let before = Self.memory()
            Self.resetPeak()
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/connections/wf/native/processapi/50150/files/e5b7a9d2_drone-survey.bin")
            request.headers.add(name: "Authorization", value: "Bearer \(TestKeys.acmeNative)")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(300))
            #expect(response.status.code == 200)
            #expect(response.headers.first(name: "Content-Disposition") == #"attachment; filename="drone-survey.bin""#)
            #expect(response.headers.first(name: "Content-Length") == String(100 * 1024 * 1024))
            var total = 0
            var largest = 0
            var checked = 0
            let chunkSize = 64 * 1024
            for try await buffer in response.body {
                // Each 64 KiB chunk of the emulator's file starts with its index: check those this buffer holds.
                var offset = (chunkSize - total % chunkSize) % chunkSize
                while offset + 8 <= buffer.readableBytes {
                    #expect(buffer.getInteger(at: buffer.readerIndex + offset, as: UInt64.self) == UInt64((total + offset) / chunkSize))
                    checked += 1
                    offset += chunkSize
                }
                total += buffer.readableBytes
                largest = max(largest, buffer.readableBytes)
            }
            #expect(total == 100 * 1024 * 1024)
            #expect(checked > 1000)
            #expect(largest < 4 * 1024 * 1024, "buffers stay small: nothing collected the whole body")
            // The whole test process (gateway, emulator, this client, and whatever other tests run meanwhile)
            // peaked well below one copy of the file: measured ~27 MiB alone; collecting it would add 100+.
            if let before, let peak = Self.peak() {
                #expect(peak - before < 96 * 1024 * 1024, "peak resident memory grew \((peak - before) >> 20) MiB")
            }
        }
    }

    /// Resident memory in bytes (`VmRSS`), on Linux.
    static func memory() -> Int? { status("VmRSS:") }
    /// Peak resident memory since the last reset (`VmHWM`).
    static func peak() -> Int? { status("VmHWM:") }

    /// Writing 5 to `clear_refs` resets the peak to the current resident size (Linux).
    static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    private static func status(_ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        let line = text.split(separator: "\n").first { $0.hasPrefix(field) }
        return line?.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 * 1024 }
    }
}
