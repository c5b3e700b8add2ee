import FlowgateCore

/// A Cloudflare instance's native id, `<workflow_name>:<instance_id>` (DESIGN §1): workflows are
/// addressed by name and instance ids are unique only within their workflow.
struct CloudflareNativeID: Sendable, Hashable {
    var workflow: String
    var instance: String

    /// Path limits of the API reference (`workflow_name` 1–64, `instance_id` 1–100).
    static let workflowLengths = 1...64
    static let instanceLengths = 1...100

    var native: String { "\(workflow):\(instance)" }

    /// Splits and checks a native id before any upstream call; a bad one is the caller's `400`.
    static func parse(_ native: String, connection: ProviderConnection) throws -> CloudflareNativeID {
        guard let colon = native.firstIndex(of: ":") else {
            throw invalid("id", "a Cloudflare instance id is <connection>:<workflow_name>:<instance_id>", connection: connection)
        }
        let workflow = String(native[..<colon])
        let instance = String(native[native.index(after: colon)...])
        try checkWorkflow(workflow, field: "id", connection: connection)
        guard instanceLengths.contains(instance.count) else {
            throw invalid("id", "the instance id after the workflow name must be 1–100 characters", connection: connection)
        }
        return CloudflareNativeID(workflow: workflow, instance: instance)
    }

    /// A workflow name as a definition id: 1–64 characters, and no `:` (it would make instance ids ambiguous).
    static func checkWorkflow(_ name: String, field: String, connection: ProviderConnection) throws {
        guard workflowLengths.contains(name.count), !name.contains(":") else {
            throw invalid(field, "a Cloudflare workflow name is 1–64 characters without ':'", connection: connection)
        }
    }

    /// An `instance_id` a caller chose for a start: `^[a-zA-Z0-9_][a-zA-Z0-9-_]*$`, at most 100, and not
    /// the `cf_` + 64 hex form Cloudflare reserves for the ids it generates (its TypeScript SDK's instance docs).
    static func checkNewInstanceID(_ id: String, connection: ProviderConnection) throws {
        let allowed = id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        guard instanceLengths.contains(id.count), allowed, id.first != "-" else {
            throw invalid("instance_id", "must match ^[a-zA-Z0-9_][a-zA-Z0-9-_]*$ and be 1–100 characters", connection: connection)
        }
        let hex = id.dropFirst(3)
        if id.count == 67, id.hasPrefix("cf_"), hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
            throw invalid("instance_id", "cf_ followed by 64 hex digits is reserved for ids Cloudflare generates", connection: connection)
        }
    }

    static func invalid(_ field: String, _ issue: String, connection: ProviderConnection) -> GatewayError {
        GatewayError(
            .invalidRequest, "Invalid request: \(field): \(issue)", connection: connection.name, provider: connection.kind,
            details: [GatewayError.Detail(field: field, issue: issue)]
        )
    }
}
