import Foundation
import Hummingbird

/// The query of `GET …/instances`: filters plus either `page`/`per_page`
/// or `cursor` (+ `direction`), never both. Bad values answer 10002 [INF: no query code is documented].
struct CloudflareInstanceQuery: Sendable {
    enum Paging: Sendable, Equatable {
        /// Neither `page` nor `cursor`: page 1 (and a cursor for the next page in the `first_page_cursor`
        /// variant).
        case first
        case page(Int)
        case cursor(after: Int, ascending: Bool)
    }

    /// [GAP] The spec gives no default `per_page`; the emulator uses 50.
    static let defaultPerPage = 50

    var status: CloudflareInstanceStatus?
    var dateStart: Date?
    var dateEnd: Date?
    var perPage: Int
    var paging: Paging

    init(_ request: Request) throws {
        let query = request.uri.queryParameters
        func value(_ name: String) -> String? { query[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }

        if let status = value("status") {
            guard let parsed = CloudflareInstanceStatus(rawValue: status), CloudflareInstanceStatus.filterable.contains(parsed) else {
                throw CloudflareError.body("status must be one of: \(CloudflareInstanceStatus.filterable.map(\.rawValue).joined(separator: ", "))")
            }
            self.status = parsed
        }
        dateStart = try value("date_start").map(Self.date)
        dateEnd = try value("date_end").map(Self.date)
        perPage = try Self.number(value("per_page"), name: "per_page", range: 1...100) ?? Self.defaultPerPage
        let page = try Self.number(value("page"), name: "page", range: 1...Int.max)
        switch (page, value("cursor")) {
        case (.some, .some):
            throw CloudflareError.body("page and cursor are mutually exclusive, use one or the other")
        case (let page?, nil):
            paging = .page(page)
        case (nil, let cursor?):
            guard let after = Self.decodeCursor(cursor) else { throw CloudflareError.body("invalid cursor") }
            let direction = value("direction") ?? "desc"
            guard direction == "asc" || direction == "desc" else { throw CloudflareError.body("direction must be asc or desc") }
            paging = .cursor(after: after, ascending: direction == "asc")
        case (nil, nil):
            paging = .first
        }
    }

    func matches(_ instance: CloudflareInstance) -> Bool {
        (status.map { $0 == instance.status } ?? true) && (dateStart.map { instance.queued >= $0 } ?? true)
            && (dateEnd.map { instance.queued <= $0 } ?? true)
    }

    /// Cursors are opaque to callers; inside they name the sequence number of the last item returned.
    static func encodeCursor(_ sequence: Int) -> String {
        Data("seq:\(sequence)".utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    static func decodeCursor(_ text: String) -> Int? {
        let padded = text + String(repeating: "=", count: (4 - text.count % 4) % 4)
        guard let data = Data(base64Encoded: padded), let plain = String(data: data, encoding: .utf8), plain.hasPrefix("seq:") else { return nil }
        return Int(plain.dropFirst(4))
    }

    private static func date(_ text: String) throws -> Date {
        guard let date = CloudflareTime.parseFilter(text) else {
            throw CloudflareError.body("date_start and date_end accept ISO 8601 with no timezone offsets and in UTC")
        }
        return date
    }

    static func number(_ text: String?, name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let text else { return nil }
        guard let number = Int(text), range.contains(number) else { throw CloudflareError.body("\(name) is out of range") }
        return number
    }
}
