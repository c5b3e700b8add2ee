import Foundation
import NIOCore
import Synchronization

/// A clock tests move by hand, so rate-limit windows and session expiry pass without sleeping.
final class SteppedClock: Sendable {
    /// 2026-03-15T13:00:00Z, which is 16:00:00 in Moscow.
    static let start = Date(timeIntervalSince1970: 1_773_579_600)

    private let current: Mutex<Date>

    init(_ start: Date = SteppedClock.start) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }
}

/// The top-level JSON object of a response body.
func jsonObject(_ buffer: ByteBuffer) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(buffer: buffer))
    guard let object = value as? [String: Any] else { throw JSONShapeError() }
    return object
}

/// The top-level JSON array of a response body.
func jsonArray(_ buffer: ByteBuffer) throws -> [[String: Any]] {
    let value = try JSONSerialization.jsonObject(with: Data(buffer: buffer))
    guard let array = value as? [[String: Any]] else { throw JSONShapeError() }
    return array
}

struct JSONShapeError: Error {}
