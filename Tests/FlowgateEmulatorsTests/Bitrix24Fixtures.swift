import FlowgateEmulators
import Foundation
import HTTPTypes
import NIOCore

/// Headers and body readers shared by the Bitrix24 emulator tests.
enum Bitrix24Fixtures {
    static let apiKeyName = HTTPField.Name("X-Api-Key")!
    static let personal: HTTPFields = [apiKeyName: "vibe_api_demo_0000000000000000"]
    static let app: HTTPFields = [apiKeyName: "vibe_app_demo_0000000000000000", .authorization: "Bearer vibe_session_demo_0000000000000000"]
    static let noScope: HTTPFields = [apiKeyName: "vibe_api_noscope_0000000000000000"]

    /// `error.code` and `error.message` of a `{success:false, error:{…}}` body, after checking `success`.
    static func error(_ body: ByteBuffer) throws -> (code: String?, message: String?, object: [String: Any]) {
        let object = try jsonObject(body)
        guard object["success"] as? Bool == false, let error = object["error"] as? [String: Any] else {
            throw MissingValue(description: "not an error envelope: \(String(buffer: body))")
        }
        return (error["code"] as? String, error["message"] as? String, error)
    }

    /// The `data` rows and `meta.total` of a list answer, after checking `success`.
    static func page(_ body: ByteBuffer) throws -> (rows: [[String: Any]], total: Int?) {
        let object = try jsonObject(body)
        guard object["success"] as? Bool == true, let rows = object["data"] as? [[String: Any]] else {
            throw MissingValue(description: "not a list envelope: \(String(buffer: body))")
        }
        return (rows, (object["meta"] as? [String: Any])?["total"] as? Int)
    }

    static func startBody(templateId: String = "713", entityType: String = "\"deal\"", entityId: String = "5141") -> ByteBuffer {
        ByteBuffer(string: #"{"templateId":\#(templateId),"entityType":\#(entityType),"entityId":\#(entityId),"parameters":{"approver":"user_7"}}"#)
    }
}
