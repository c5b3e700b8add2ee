import HTTPTypes
import Synchronization

/// Request ids: the caller's `X-Request-Id` when it is well-formed, a new one otherwise
/// (``RequestTelemetryMiddleware`` applies them).
enum RequestID {
    /// Up to 128 characters that cannot break a header or a log line.
    static func isWellFormed(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 128
            && id.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
            }
    }

    /// The id of a request with these header fields: its own `X-Request-Id` if well-formed, else a new one.
    static func of(_ fields: HTTPFields) -> String {
        fields[.requestID].flatMap { isWellFormed($0) ? $0 : nil } ?? make()
    }

    /// A random per-process prefix and a counter, 16 lowercase hex digits each: unique across replicas
    /// and restarts without a system call per request. Ids correlate logs; they are not secrets, so
    /// predictability is fine.
    static func make() -> String {
        let sequence = counter.add(1, ordering: .relaxed).newValue
        // Written straight into the string's storage: formatting with String(radix:) and padding cost
        // more than the rest of the id's handling.
        return String(unsafeUninitializedCapacity: 32) { buffer in
            writeHex(processPrefix, into: buffer, at: 0)
            writeHex(sequence, into: buffer, at: 16)
            return 32
        }
    }

    private static let processPrefix: UInt64 = {
        var generator = SystemRandomNumberGenerator()
        return generator.next()
    }()
    private static let counter = Atomic<UInt64>(0)

    private static func writeHex(_ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        let digits: StaticString = "0123456789abcdef"
        for index in 0..<16 {
            let nibble = Int((value >> UInt64(60 - 4 * index)) & 0xF)
            buffer[offset + index] = digits.utf8Start[nibble]
        }
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id")!
}
