import Foundation
import Hummingbird
import NIOCore
import NIOFoundationEssentialsCompat

/// The JSON object body of a POST, checked as Geotareas documents: `Content-Type: application/json`
/// is required on POST and PUT, the body must be an object, and string fields
/// have length limits.
struct GeotareasBody {
    private let fields: [String: Any]

    /// [INF] A missing or non-JSON `Content-Type` is a missing required header: 400 `BAD_REQUEST`.
    /// A body that is not a JSON object is 400 `VALIDATION_ERROR`.
    init(_ request: Request) async throws {
        guard let contentType = request.headers[.contentType], contentType.lowercased().hasPrefix("application/json") else {
            throw GeotareasError.badRequest("Content-Type must be application/json.")
        }
        var request = request
        let buffer = try await request.collectBody(upTo: 64 * 1024)
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any] else {
            throw GeotareasError.validation("The request body must be a JSON object.")
        }
        fields = object
    }

    var keys: Set<String> { Set(fields.keys) }

    /// [INF] Unknown fields are rejected rather than ignored, so a gateway that tries to pass input
    /// variables to a start (which Geotareas cannot take) hears about it.
    func rejectUnknown(allowed: Set<String>) throws {
        if let unknown = keys.subtracting(allowed).sorted().first {
            throw GeotareasError.validation("Unknown field: \(unknown).")
        }
    }

    func string(_ name: String, required: Bool, maxLength: Int) throws -> String? {
        switch fields[name] {
        case nil, is NSNull:
            if required { throw GeotareasError.validation("\(name) is required.") }
            return nil
        case let value as String:
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if required && trimmed.isEmpty { throw GeotareasError.validation("\(name) is required.") }
            guard value.count <= maxLength else { throw GeotareasError.validation("\(name) must be at most \(maxLength) characters.") }
            return value
        default:
            throw GeotareasError.validation("\(name) must be a string.")
        }
    }
}
