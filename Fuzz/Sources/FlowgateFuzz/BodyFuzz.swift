import FlowgateCore
import Foundation
import Hummingbird
import NIOCore

@testable import FlowgateServer

/// Request bodies as the start and cancel routes read them (`RequestBodyReader.object`, then
/// `StartRequest.parse` / `CancelRequest.parse`): refused with a `GatewayError`, or accepted with
/// every field within its documented bound.
enum BodyFuzz {
    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        let request = Request(
            head: .init(method: .post, scheme: "http", authority: "localhost", path: "/v1/instances"),
            body: RequestBody(buffer: ByteBuffer(bytes: bytes))
        )
        let members: [String: JSONValue]
        switch blocking({ try await RequestBodyReader.object(request, limit: 1 << 20) }) {
        case .success(let object): members = object
        case .failure(let error):
            Invariant.require(error is GatewayError, "RequestBodyReader threw \(type(of: error))")
            return
        }
        if let start = accepted({ try StartRequest.parse(members) }) {
            Invariant.boundedText(start.definition.description, maxBytes: 512, "definition")
            if let entity = start.entity {
                Invariant.boundedText(entity.type, maxBytes: 100, "entity.type")
                Invariant.boundedText(entity.id, maxBytes: 512, "entity.id")
            }
            if let id = start.instanceID {
                let allowed = id.unicodeScalars.allSatisfy {
                    $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
                }
                Invariant.require(allowed && id.first != "-" && (1...100).contains(id.utf8.count), "instance_id \(id.debugDescription)")
            }
        }
        if let cancel = accepted({ try CancelRequest.parse(members) }), let reason = cancel.reason {
            Invariant.boundedText(reason, maxBytes: 500, "reason", allowEmpty: true)
        }
    }

    private static func accepted<T>(_ parse: () throws -> T) -> T? {
        do {
            return try parse()
        } catch is GatewayError {
            return nil
        } catch {
            fatalError("a body parser threw \(type(of: error)), not a GatewayError")
        }
    }

    /// Runs the async reader to completion from libFuzzer's (non-async) thread.
    private static func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) -> Result<T, any Error> {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { box.result = .success(try await work()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return box.result ?? .failure(CancellationError())
    }
}

/// Written by one task, read after the semaphore says it finished.
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
