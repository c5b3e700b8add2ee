import Foundation
import Testing

@testable import FlowgateServer

/// The hit path's `Date` value is computed, not formatted by a calendar: it must read as Foundation's.
@Suite struct HTTPDateTests {
    @Test func theRFCsExampleAndRandomInstantsReadAsFoundationWritesThem() {
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        var generator = SystemRandomNumberGenerator()
        for seconds in [0, 951_782_400, 4_107_542_399] + (0..<500).map({ _ in Int.random(in: 0...4_102_444_800, using: &generator) }) {
            #expect(HTTPDate.format(seconds) == formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))), "\(seconds)")
        }
    }
}
