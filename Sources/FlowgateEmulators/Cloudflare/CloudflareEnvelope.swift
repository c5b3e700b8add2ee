import Foundation
import HTTPTypes
import Hummingbird

/// `result_info` of a list: `cursor` only in cursor mode or when a next page
/// exists, `page` only in page mode.
struct CloudflareResultInfo: Encodable, Sendable {
    var count: Int
    var perPage: Int
    var totalCount: Int
    var cursor: String?
    var page: Int?

    enum CodingKeys: String, CodingKey {
        case count, cursor, page
        case perPage = "per_page", totalCount = "total_count"
    }
}

/// The v4 envelope: `{success, errors: [{code, message}], messages: [], result, result_info}`.
/// [3P] Single objects carry no `result_info`, as the real API's do not.
enum CloudflareEnvelope {
    static func success(_ result: some Encodable, resultInfo: CloudflareResultInfo? = nil, status: HTTPResponse.Status = .ok) -> Response {
        EmulatorJSONResponse.make(Success(result: result, resultInfo: resultInfo), status: status)
    }

    static func error(_ error: CloudflareError) -> Response {
        var response = EmulatorJSONResponse.make(Failure(errors: [.init(code: error.code, message: error.message)]), status: error.status)
        response.headers.append(contentsOf: error.headers)
        return response
    }
}

/// One entry of `errors` or `messages`.
struct CloudflareMessage: Encodable, Sendable {
    var code: Int
    var message: String
}

/// `{success: true, errors: [], messages: [], result, result_info?}`.
private struct Success<Result: Encodable>: Encodable {
    let success = true
    let errors: [CloudflareMessage] = []
    let messages: [CloudflareMessage] = []
    let result: Result
    let resultInfo: CloudflareResultInfo?

    enum CodingKeys: String, CodingKey {
        case success, errors, messages, result
        case resultInfo = "result_info"
    }
}

/// `{success: false, errors, messages: [], result: null}`.
private struct Failure: Encodable {
    let success = false
    let errors: [CloudflareMessage]
    let messages: [CloudflareMessage] = []

    enum CodingKeys: String, CodingKey { case success, errors, messages, result }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(success, forKey: .success)
        try container.encode(errors, forKey: .errors)
        try container.encode(messages, forKey: .messages)
        try container.encodeNil(forKey: .result)
    }
}
