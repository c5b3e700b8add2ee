import HTTPTypes
import Hummingbird

/// A Cloudflare v4 error answer: an HTTP status and one `{code, message}` in
/// `errors`, rendered as `{"success": false, "errors": [...], "messages": [], "result": null}`.
/// Workflows messages are i18n keys such as `workflows.api.error.instance.not_found`.
struct CloudflareError: Error, Sendable {
    var status: HTTPResponse.Status
    var code: Int
    var message: String
    /// Headers the answer carries besides the envelope, e.g. `retry-after` on a 429.
    var headers: HTTPFields = [:]

    /// Missing or unknown token: 401. A token that does not cover the account in the path: 403 [INF].
    static func authentication(_ status: HTTPResponse.Status = .unauthorized) -> Self {
        .init(status: status, code: 10000, message: "Authentication error")
    }

    static let internalServer = Self(status: .internalServerError, code: 10001, message: "workflows.api.error.internal_server")

    /// A bad body or, [INF] for want of a documented query code, a bad query parameter.
    static func body(_ message: String = "workflows.api.error.body") -> Self { .init(status: .badRequest, code: 10002, message: message) }

    static let workflowNotFound = Self(status: .notFound, code: 10200, message: "workflows.api.error.workflow.not_found")

    /// [INF] 404 for 10400; only the code is known from public answers.
    static let instanceNotFound = Self(status: .notFound, code: 10400, message: "workflows.api.error.instance.not_found")

    /// A status change the instance's state does not allow. 10401 is documented for terminate
    /// (`cannot_terminate`); [INF] the emulator uses it for every refused transition, with a matching key,
    /// and answers 400 like the duplicate-id error below.
    static func cannotChange(_ action: String) -> Self {
        .init(status: .badRequest, code: 10401, message: "workflows.api.error.instance.cannot_\(action)")
    }

    /// [3P] Seen with HTTP 400.
    static let alreadyExists = Self(status: .badRequest, code: 10405, message: "workflows.api.error.instance.already_exists")

    static let duplicateInBatch = Self(status: .badRequest, code: 10415, message: "workflows.api.error.instance.duplicate_in_batch")

    /// [3P] What the v4 API answers for a path it has no route for.
    static let noRoute = Self(status: .notFound, code: 7000, message: "No route for that URI")

    /// [3P] The global API limit answers code 971 with this message.
    static func rateLimited(headers: HTTPFields) -> Self {
        .init(status: .tooManyRequests, code: 971, message: "Please wait and consider throttling your request speed", headers: headers)
    }

    /// The same error for a Hummingbird error (the router's 404, a 400 from a parameter), so nothing under
    /// `/client/v4/` answers outside the envelope.
    static func from(_ error: any HTTPResponseError) -> Self {
        switch error.status {
        case .notFound: .noRoute
        case .badRequest, .contentTooLarge: .init(status: error.status, code: 10002, message: "workflows.api.error.body")
        default: .init(status: error.status, code: 10001, message: "workflows.api.error.internal_server")
        }
    }

    /// A forced fault: a numeric `code` is used as is; anything else becomes the code that status usually
    /// carries, with the fault's code as the message so a test can still find it.
    static func forced(status: Int, code: String) -> Self {
        let status = HTTPResponse.Status(code: status)
        if let number = Int(code) { return .init(status: status, code: number, message: "Forced error") }
        let number =
            switch status.code {
            case 401, 403: 10000
            case 404: 10400
            case 429: 971
            case 400..<500: 10002
            default: 10001
            }
        return .init(status: status, code: number, message: code)
    }

    var response: Response { CloudflareEnvelope.error(self) }
}
