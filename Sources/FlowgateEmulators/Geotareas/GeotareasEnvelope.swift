import Foundation
import HTTPTypes
import Hummingbird

/// The `{success, data, meta}` envelope every Geotareas answer uses: lists carry
/// `meta: {total, limit, offset}`, details and mutations `meta: {}`, errors `data: null` plus `error`.
enum GeotareasEnvelope {
    static func object(_ data: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        EmulatorJSONResponse.make(Success(data: data, meta: .empty), status: status)
    }

    static func list(_ data: [some Encodable], total: Int, limit: Int, offset: Int) -> Response {
        EmulatorJSONResponse.make(Success(data: data, meta: .page(total: total, limit: limit, offset: offset)), status: .ok)
    }

    static func error(_ error: GeotareasError) -> Response {
        var response = EmulatorJSONResponse.make(Failure(error: .init(code: error.code, message: error.message)), status: error.status)
        response.headers.append(contentsOf: error.headers)
        return response
    }
}

/// `{success: true, data, meta}`.
private struct Success<Payload: Encodable>: Encodable {
    let success = true
    let data: Payload
    let meta: Meta
}

/// `{success: false, data: null, error: {code, message}}`.
private struct Failure: Encodable {
    /// The `error` object.
    struct Detail: Encodable {
        let code: String
        let message: String
    }

    let success = false
    let error: Detail

    // `data: null` is written explicitly, as the login page shows it.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(success, forKey: .success)
        try container.encodeNil(forKey: .data)
        try container.encode(error, forKey: .error)
    }

    enum CodingKeys: String, CodingKey { case success, data, error }
}

/// `meta` is `{}` on details and mutations and `{total, limit, offset}` on lists.
private enum Meta: Encodable {
    case empty
    case page(total: Int, limit: Int, offset: Int)

    enum CodingKeys: String, CodingKey { case total, limit, offset }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if case .page(let total, let limit, let offset) = self {
            try container.encode(total, forKey: .total)
            try container.encode(limit, forKey: .limit)
            try container.encode(offset, forKey: .offset)
        }
    }
}
