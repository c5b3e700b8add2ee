import Foundation
import Hummingbird
import NIOCore
import NIOFoundationEssentialsCompat

/// One instance to create: the body of `POST …/instances`, or one element of a batch.
struct CloudflareCreateRequest: Sendable {
    var instanceID: String?
    var params: EmulatorJSON?

    private static let locations: Set<String> = ["wnam", "weur", "enam", "eeur", "apac", "oc", "sam", "afr", "me"]

    /// Checks one create body; anything malformed is 10002. [INF] Unknown fields are ignored, as the
    /// v4 API generally does; `params` may be any JSON value (CF-TS types it as a string, the other SDKs
    /// as an object).
    init(_ value: EmulatorJSON) throws {
        guard case .object(let fields) = value else { throw CloudflareError.body() }
        switch fields["instance_id"] {
        case nil, .null?:
            instanceID = nil
        case .string(let id)?:
            guard Self.isValidID(id) else { throw CloudflareError.body() }
            instanceID = id
        default:
            throw CloudflareError.body()
        }
        params = fields["params"]
        if let location = fields["location_hint"] {
            guard case .string(let hint) = location, Self.locations.contains(hint) else { throw CloudflareError.body() }
        }
        if let retention = fields["instance_retention"], retention != .null {
            guard case .object = retention else { throw CloudflareError.body() }
        }
    }

    /// `^[a-zA-Z0-9_][a-zA-Z0-9-_]*$`, at most 100 characters, and not the `cf_` + 64 hex form reserved
    /// for system-generated ids.
    static func isValidID(_ id: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        guard (1...100).contains(id.count), id.allSatisfy(allowed.contains), id.first != "-" else { return false }
        let reserved = id.count == 67 && id.hasPrefix("cf_") && id.dropFirst(3).allSatisfy { "0123456789abcdef".contains($0) }
        return !reserved
    }
}

/// Reads request bodies as JSON with the documented size cap.
enum CloudflareBody {
    /// Event payloads may be up to 1 MiB.
    static let maxBytes = 1 << 20

    /// The body as JSON; an empty body is `null`, anything unparsable 10002.
    static func json(_ request: Request) async throws -> EmulatorJSON {
        var request = request
        let buffer = try await request.collectBody(upTo: maxBytes)
        guard let value = EmulatorJSON.parse(Data(buffer: buffer)) else { throw CloudflareError.body() }
        return value
    }
}
