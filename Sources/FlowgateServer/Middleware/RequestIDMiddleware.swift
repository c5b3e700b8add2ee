import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// Gives every request an id: the caller's `X-Request-Id` when it is well-formed, a new one otherwise.
/// The id is echoed on the response and replaces Hummingbird's in the request logger, so every log
/// line of the request carries it.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = request.headers[.requestID].flatMap { Self.isWellFormed($0) ? $0 : nil } ?? Self.makeID()
        var context = context
        context.requestID = id
        context.logger[metadataKey: "hb.request.id"] = .string(id)
        var response = try await next(request, context)
        response.headers[.requestID] = id
        return response
    }

    /// Up to 128 characters that cannot break a header or a log line.
    static func isWellFormed(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 128
            && id.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
            }
    }

    /// A random per-process prefix and a counter: unique across replicas and restarts without a
    /// system call per request. Ids correlate logs; they are not secrets, so predictability is fine.
    static func makeID() -> String {
        processPrefix + hex(sequence.add(1, ordering: .relaxed).newValue)
    }

    private static let processPrefix: String = {
        var generator = SystemRandomNumberGenerator()
        return hex(generator.next())
    }()
    private static let sequence = Atomic<UInt64>(0)

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id")!
}
