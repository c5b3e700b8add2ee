import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationEssentialsCompat
import Synchronization

/// The one clock the emulator tests move by hand, injected as an emulator's `now`, so rate-limit windows,
/// session and token expiry pass without sleeping.
final class TestClock: Sendable {
    /// `2026-03-20T15:00:00Z` (12:00 in Buenos Aires), after every seeded Geotareas and Cloudflare timestamp.
    static let march20 = Date(timeIntervalSince1970: 1_774_018_800)
    /// `2026-03-15T13:00:00Z` (16:00 in Moscow), where the Bitrix24 and Workingflow tests start their seeds.
    static let march15 = Date(timeIntervalSince1970: 1_773_579_600)

    private let current: Mutex<Date>

    init(_ start: Date = TestClock.march20) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }

    func advance(seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }

    var reader: @Sendable () -> Date { { self.now } }
}

/// The top-level JSON object of a response body; throws when the body is not one.
func jsonObject(_ buffer: ByteBuffer) throws -> [String: Any] {
    let parsed = try JSONSerialization.jsonObject(with: Data(buffer: buffer), options: [.fragmentsAllowed])
    return try (parsed as? [String: Any]).unwrap("body is not a JSON object: \(String(buffer: buffer))")
}

/// The top-level JSON array of objects of a response body; throws when the body is not one.
func jsonArray(_ buffer: ByteBuffer) throws -> [[String: Any]] {
    let parsed = try JSONSerialization.jsonObject(with: Data(buffer: buffer), options: [.fragmentsAllowed])
    return try (parsed as? [[String: Any]]).unwrap("body is not a JSON array of objects: \(String(buffer: buffer))")
}

/// A response body decoded as a JSON object, with typed accessors that fail the test when a field is
/// missing or of the wrong type.
struct JSONBody {
    let object: [String: Any]

    init(_ response: TestResponse) throws { object = try jsonObject(response.body) }

    init(_ object: [String: Any]) { self.object = object }

    subscript(_ key: String) -> Any? { object[key] }

    func string(_ key: String) throws -> String { try (object[key] as? String).unwrap("\(key) is not a string: \(String(describing: object[key]))") }

    func int(_ key: String) throws -> Int { try (object[key] as? Int).unwrap("\(key) is not an int: \(String(describing: object[key]))") }

    func bool(_ key: String) throws -> Bool { try (object[key] as? Bool).unwrap("\(key) is not a bool: \(String(describing: object[key]))") }

    func object(_ key: String) throws -> JSONBody {
        JSONBody(try (object[key] as? [String: Any]).unwrap("\(key) is not an object: \(String(describing: object[key]))"))
    }

    func array(_ key: String) throws -> [JSONBody] {
        let items = try (object[key] as? [Any]).unwrap("\(key) is not an array: \(String(describing: object[key]))")
        return try items.map { JSONBody(try ($0 as? [String: Any]).unwrap("\(key) holds a non-object")) }
    }

    /// True when the key is present with an explicit JSON `null`.
    func isNull(_ key: String) -> Bool { object[key] is NSNull }

    var keys: Set<String> { Set(object.keys) }
}

/// Why a response did not have the expected shape.
struct MissingValue: Error, CustomStringConvertible {
    let description: String
}

extension Optional {
    func unwrap(_ message: @autoclosure () -> String) throws -> Wrapped {
        guard let self else { throw MissingValue(description: message()) }
        return self
    }
}

extension HTTPField.Name {
    static let testTenant = Self("tenant")!
    static let testAPIKey = Self("X-API-Key")!
    static let testRateLimit = Self("X-RateLimit-Limit")!
    static let testRateRemaining = Self("X-RateLimit-Remaining")!
    static let testRateReset = Self("X-RateLimit-Reset")!
    static let testRequestID = Self("X-Request-Id")!
    static let testRatelimit = Self("Ratelimit")!
    static let testRatelimitPolicy = Self("Ratelimit-Policy")!
}
