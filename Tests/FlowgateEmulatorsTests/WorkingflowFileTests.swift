import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

@testable import FlowgateEmulators

struct WorkingflowFileTests {
    static let auth = WorkingflowEmulatorTests.auth

    @Test func smallFilesDownloadWithTheirOriginalName() async throws {
        try await WorkingflowEmulator(largeFileSize: 10).makeApplication(port: 0).test(.router) { client in
            try await client.execute(uri: "/processapi/50100/files/a3f8b2c1_receipt.pdf", method: .get, headers: Self.auth) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/pdf")
                #expect(response.headers[.contentDisposition] == #"attachment; filename="receipt.pdf""#)
                #expect(response.headers[.contentLength] == String(response.body.readableBytes))
                #expect(String(buffer: response.body).hasPrefix("%PDF-1.4"))
                #expect(String(buffer: response.body).hasSuffix("%%EOF\n"))
            }
            let csv = "/processapi/50100/files/7c1d9e04_Q2%20travel%20summary.csv"
            try await client.execute(uri: csv, method: .get, headers: Self.auth) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/csv")
                #expect(response.headers[.contentDisposition] == #"attachment; filename="Q2 travel summary.csv""#)
                #expect(String(buffer: response.body).hasPrefix("date,category,description,amount,currency\n"))
            }
        }
    }

    @Test func missingFilesAndInstancesAre404() async throws {
        try await WorkingflowEmulator(largeFileSize: 10).makeApplication(port: 0).test(.router) { client in
            try await client.execute(uri: "/processapi/50100/files/receipt.pdf", method: .get, headers: Self.auth) { response in
                #expect(response.status == .notFound)
                let error = try WorkingflowEmulatorTests.error(response.body)
                #expect(error.code == "FILE_NOT_FOUND")
            }
            try await client.execute(uri: "/processapi/50110/files/a3f8b2c1_receipt.pdf", method: .get, headers: Self.auth) { response in
                #expect(response.status == .notFound)
                let error = try WorkingflowEmulatorTests.error(response.body)
                #expect(error.code == "FILE_NOT_FOUND")
            }
            try await client.execute(uri: "/processapi/12345/files/a3f8b2c1_receipt.pdf", method: .get, headers: Self.auth) { response in
                #expect(response.status == .notFound)
                let error = try WorkingflowEmulatorTests.error(response.body)
                #expect(error.code == "INSTANCE_NOT_FOUND")
            }
        }
    }

    @Test func generatedFileIsDeterministicChunkedBytes() async throws {
        let size = 3 * 65_536 + 1_000
        try await WorkingflowEmulator(largeFileSize: size).makeApplication(port: 0).test(.live) { client in
            try await client.execute(uri: "/processapi/50150/files/e5b7a9d2_drone-survey.bin", method: .get, headers: Self.auth) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/octet-stream")
                #expect(response.headers[.contentDisposition] == #"attachment; filename="drone-survey.bin""#)
                #expect(response.headers[.contentLength] == String(size))
                #expect(response.body.readableBytes == size)
                // Each 64 KiB chunk starts with its index, big-endian.
                for chunk in 0..<4 {
                    #expect(response.body.getInteger(at: chunk * 65_536, as: UInt64.self) == UInt64(chunk))
                }
                #expect(response.body.getBytes(at: 8, length: 100) == response.body.getBytes(at: 65_536 + 8, length: 100))
            }
            try await client.execute(uri: "/processapi/50150/status", method: .get, headers: Self.auth) { response in
                let status = try jsonObject(response.body)
                let files = try #require(status["files"] as? [[String: Any]])
                #expect(files.first?["size"] as? Int == size)
            }
        }
    }

    /// The default 100 MiB file goes out in 64 KiB writes, each made on demand: the emulator never holds it.
    @Test func hundredMegabyteFileStreamsInBoundedChunks() async throws {
        let file = WorkingflowFile(storedName: "e5b7a9d2_drone-survey.bin", content: .generated(size: 100 * 1024 * 1024), uploaded: Date())
        let response = WorkingflowFileBody.response(for: file)
        #expect(response.headers[.contentLength] == "104857600")
        let counter = WriteCounter()
        try await response.body.write(CountingWriter(counter: counter))
        let counts = counter.counts
        #expect(counts.bytes == 104_857_600)
        #expect(counts.writes == 1_600)
        #expect(counts.largestWrite == 65_536)
        #expect(counts.finished)
    }
}

/// What a ``CountingWriter`` saw.
final class WriteCounter: Sendable {
    struct Counts {
        var bytes = 0
        var writes = 0
        var largestWrite = 0
        var finished = false
    }

    private let state = Mutex(Counts())
    var counts: Counts { state.withLock { $0 } }
    func add(_ bytes: Int) {
        state.withLock {
            $0.bytes += bytes; $0.writes += 1; $0.largestWrite = max($0.largestWrite, bytes)
        }
    }
    func finish() { state.withLock { $0.finished = true } }
}

/// A response body writer that keeps nothing but counts.
struct CountingWriter: ResponseBodyWriter {
    let counter: WriteCounter
    mutating func write(_ buffer: ByteBuffer) async throws { counter.add(buffer.readableBytes) }
    consuming func finish(_ trailingHeaders: HTTPFields?) async throws { counter.finish() }
}
