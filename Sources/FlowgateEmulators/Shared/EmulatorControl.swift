import Foundation
import Hummingbird
import NIOCore
import NIOFoundationEssentialsCompat

/// The control surface every emulator serves under `/_emulator/`: read and clear recorded requests,
/// switch faults on and off, switch the answer shape where the upstream's documentation leaves it
/// open (``EmulatorVariants``). Never recorded, never faulted.
///
/// ```sh
/// curl -X POST localhost:9103/_emulator/faults -d '{"kind":"latency","ms":500}'
/// curl -X POST localhost:9103/_emulator/faults -d '{"kind":"error","status":503,"code":"UNAVAILABLE","count":2}'
/// curl -X DELETE localhost:9103/_emulator/faults
/// curl -X POST localhost:9102/_emulator/variant -d '{"file_items":"fileName"}'
/// curl localhost:9102/_emulator/variant         # {"current": {…}, "options": {…}}
/// curl -X DELETE localhost:9102/_emulator/variant
/// ```
struct EmulatorControl {
    static let prefix = "/_emulator/"

    let recorder: RequestRecorder
    let faults: FaultInjector
    let variants: EmulatorVariants

    func addRoutes(to router: Router<EmulatorRequestContext>) {
        let recorder = self.recorder
        let faults = self.faults
        addVariantRoutes(to: router)
        router.get("/_emulator/requests") { _, _ in
            let list: [[String: String]] = recorder.all.map { recorded in
                [
                    "method": recorded.method.rawValue, "path": recorded.path, "query": recorded.query ?? "",
                    "body": String(buffer: recorded.body), "received_at": String(recorded.receivedAt.timeIntervalSince1970),
                ]
            }
            return try Self.json(list)
        }
        router.delete("/_emulator/requests") { _, _ in
            recorder.clear()
            return Response(status: .noContent)
        }
        router.get("/_emulator/faults") { _, _ in try Self.json(["active": faults.active.count]) }
        router.delete("/_emulator/faults") { _, _ in
            faults.clear()
            return Response(status: .noContent)
        }
        router.post("/_emulator/faults") { request, context in
            var request = request
            let body = try await request.collectBody(upTo: 64 * 1024)
            guard let spec = try? JSONDecoder().decode(FaultSpec.self, from: Data(buffer: body)), let fault = spec.fault else {
                return Response(status: .badRequest, body: .init(byteBuffer: ByteBuffer(string: "unknown fault spec\n")))
            }
            faults.add(fault)
            return Response(status: .created)
        }
    }

    private func addVariantRoutes(to router: Router<EmulatorRequestContext>) {
        let variants = self.variants
        router.get("/_emulator/variant") { _, _ in try Self.json(VariantState(current: variants.current, options: variants.options)) }
        router.delete("/_emulator/variant") { _, _ in
            variants.reset()
            return Response(status: .noContent)
        }
        router.post("/_emulator/variant") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 64 * 1024)
            guard let values = try? JSONDecoder().decode([String: String].self, from: Data(buffer: body)) else {
                return Response(status: .badRequest, body: .init(byteBuffer: ByteBuffer(string: "expected {\"<switch>\": \"<value>\", …}\n")))
            }
            do {
                try variants.set(values)
            } catch let error as EmulatorVariants.Unknown {
                return Response(status: .badRequest, body: .init(byteBuffer: ByteBuffer(string: "\(error.description)\n")))
            }
            return try Self.json(VariantState(current: variants.current, options: nil))
        }
    }

    private static func json(_ value: some Encodable) throws -> Response {
        let data = try JSONEncoder().encode(value)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// What `/_emulator/variant` answers: each switch's value, and (on `GET`) every value each switch has.
private struct VariantState: Encodable {
    var current: [String: String]
    var options: [String: [String]]?
}

/// The JSON form of a ``Fault`` for the control route.
private struct FaultSpec: Decodable {
    var kind: String
    var ms: Int?
    var status: Int?
    var code: String?
    var chunkBytes: Int?
    var intervalMs: Int?
    var bytes: Int?
    var pathPrefix: String?
    var count: Int?
    var retryAfterSeconds: Int?

    enum CodingKeys: String, CodingKey {
        case kind, ms, status, code, bytes, count
        case retryAfterSeconds = "retry_after_s"
        case chunkBytes = "chunk_bytes"
        case intervalMs = "interval_ms"
        case pathPrefix = "path_prefix"
    }

    var fault: Fault? {
        let kind: Fault.Kind
        switch self.kind {
        case "latency": kind = .latency(.milliseconds(ms ?? 0))
        case "error": kind = .error(status: status ?? 500, code: code ?? "INTERNAL_ERROR", retryAfter: retryAfterSeconds)
        case "reset": kind = .reset
        case "slow_body": kind = .slowBody(chunkBytes: chunkBytes ?? 16, interval: .milliseconds(intervalMs ?? 100))
        case "huge_body": kind = .hugeBody(bytes: bytes ?? 10 * 1024 * 1024)
        default: return nil
        }
        return Fault(kind, pathPrefix: pathPrefix, count: count)
    }
}
