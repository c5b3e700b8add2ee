import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error in Workingflow's flat envelope, `{"error": "<message>", "code": "<CODE>"}`, with no `success`
/// flag, as its REST API chapter documents. Handlers throw it and the router renders it.
struct WorkingflowError: HTTPResponseError {
    var status: HTTPResponse.Status
    var code: String
    var message: String

    func response(from request: Request, context: some RequestContext) throws -> Response { render() }

    func render() -> Response {
        WorkingflowJSON.response(status: status, ["error": message, "code": code])
    }
}

extension WorkingflowError {
    static let missingKey = Self(status: .unauthorized, code: "UNAUTHORIZED", message: "Missing API key")
    static let invalidKey = Self(status: .unauthorized, code: "UNAUTHORIZED", message: "Invalid or inactive API key")
    /// [INF] no 400 code is documented; an unreadable start body lands in the catch-all handler as a 500.
    static let internalError = Self(status: .internalServerError, code: "INTERNAL_ERROR", message: "Unexpected server error")

    static func processNotFound(_ key: String) -> Self {
        Self(status: .notFound, code: "PROCESS_NOT_FOUND", message: "Process definition not found: \(key)")
    }

    static func instanceNotFound(_ id: String) -> Self {
        Self(status: .notFound, code: "INSTANCE_NOT_FOUND", message: "Process instance not found: \(id)")
    }

    static func fileNotFound(_ name: String) -> Self {
        Self(status: .notFound, code: "FILE_NOT_FOUND", message: "File not found: \(name)")
    }

    static func suspended(_ key: String) -> Self {
        Self(status: .conflict, code: "PROCESS_SUSPENDED", message: "Process definition is suspended: \(key)")
    }

    /// The documented text, word for word.
    static func startForm(_ key: String) -> Self {
        Self(status: .unprocessableContent, code: "START_FORM_NOT_SUPPORTED", message: "Processes with start forms cannot be started via API: \(key)")
    }

    /// A forced error (fault injection), with the documented example text for the codes we know.
    static func forced(status: Int, code: String) -> Self {
        let known = [
            "UNAUTHORIZED": "Missing or inactive API key", "PROCESS_NOT_FOUND": "Invalid process key",
            "INSTANCE_NOT_FOUND": "Invalid process instance ID", "FILE_NOT_FOUND": "File does not exist in storage",
            "PROCESS_SUSPENDED": "Process definition is suspended/inactive", "START_FORM_NOT_SUPPORTED": "Process has a start form",
            "INTERNAL_ERROR": "Unexpected server error",
        ]
        return Self(status: .init(code: status), code: code, message: known[code] ?? code)
    }
}

/// JSON responses as the deployment writes them.
enum WorkingflowJSON {
    static func response(status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        // Sorted keys: JSON objects are unordered, but the same state should give the same bytes.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every body here is built from strings, numbers and decoded JSON, so encoding cannot fail in practice.
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":"Unexpected server error","code":"INTERNAL_ERROR"}"#.utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
