import FlowgateCore

/// A Cloudflare instance's native id, `<workflow_name>:<instance_id>` (docs/canonical-api.md#ids): workflows are
/// addressed by name and instance ids are unique only within their workflow.
struct CloudflareNativeID: Sendable, Hashable {
    var workflow: String
    var instance: String

    /// Path limits Cloudflare documents for workflow names and instance ids, counted here in UTF-8 bytes.
    static let workflowLengths = 1...64
    static let instanceLengths = 1...100

    var native: String { "\(workflow):\(instance)" }

    /// Splits and checks a native id before any upstream call; a bad one is the caller's `400`.
    static func parse(_ native: String, connection: ProviderConnection) throws -> CloudflareNativeID {
        // Split on the `:` byte: a `:` followed by a combining mark is one `Character`.
        guard let colon = native.utf8.firstIndex(of: UInt8(ascii: ":")) else {
            throw invalid("id", "a Cloudflare instance id is <connection>:<workflow_name>:<instance_id>", connection: connection)
        }
        let workflow = String(Substring(native.utf8[..<colon]))
        let instance = String(Substring(native.utf8[native.utf8.index(after: colon)...]))
        try checkWorkflow(workflow, field: "id", connection: connection)
        guard instanceLengths.contains(instance.utf8.count) else {
            throw invalid("id", "the instance id after the workflow name must be 1–100 bytes", connection: connection)
        }
        return CloudflareNativeID(workflow: workflow, instance: instance)
    }

    /// A workflow name as a definition id: 1–64 bytes, and no `:` (it would make instance ids ambiguous).
    static func checkWorkflow(_ name: String, field: String, connection: ProviderConnection) throws {
        guard workflowLengths.contains(name.utf8.count), !name.utf8.contains(UInt8(ascii: ":")) else {
            throw invalid(field, "a Cloudflare workflow name is 1–64 bytes without ':'", connection: connection)
        }
    }

    /// An `instance_id` a caller chose for a start: `^[a-zA-Z0-9_][a-zA-Z0-9-_]*$`, at most 100, and not
    /// the `cf_` + 64 hex form Cloudflare reserves for the ids it generates (its TypeScript SDK's instance docs).
    static func checkNewInstanceID(_ id: String, connection: ProviderConnection) throws {
        guard InputBounds.isInstanceID(id) else {
            throw invalid("instance_id", "must match ^[a-zA-Z0-9_][a-zA-Z0-9-_]*$ and be 1–100 bytes", connection: connection)
        }
        let hex = id.utf8.dropFirst(3)
        let isLowerHex = hex.allSatisfy {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
        }
        if id.utf8.count == 67, id.hasPrefix("cf_"), isLowerHex {
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
