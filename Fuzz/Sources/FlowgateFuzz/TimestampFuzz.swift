import FlowgateCore
import Foundation

/// `RFC3339.parse` (the `started_after`/`started_before` reader): never crashes; whatever it accepts is
/// 20–35 ASCII bytes and names the same instant as Foundation's reader of the same text, upper-cased
/// (from 1583 on: see below).
enum TimestampFuzz {
    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let date = RFC3339.parse(text) else { return }
        Invariant.require((20...35).contains(text.utf8.count) && text.utf8.allSatisfy { $0 < 0x80 }, "accepted \(text.debugDescription)")
        // Foundation reads dates before the Gregorian reform (1582-10-15) in the Julian calendar; RFC 3339
        // dates are Gregorian throughout, so the two agree from 1583 on.
        guard text.prefix(4) >= "1583" else { return }
        if let foundation = try? Date(text.uppercased(), strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: text.contains("."))) {
            Invariant.require(abs(foundation.timeIntervalSince(date)) < 0.001, "\(text.debugDescription) read as \(date), Foundation \(foundation)")
        }
    }
}
