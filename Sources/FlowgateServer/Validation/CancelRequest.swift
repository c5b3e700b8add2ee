import FlowgateCore

/// `POST /v1/instances/{id}/cancel`, validated. An empty body is a cancel without reason; a reason is
/// at most 500 UTF-8 bytes (``InputBounds/cancelReason``).
struct CancelRequest: Sendable {
    var reason: String?
    var force: Bool

    static func parse(_ body: [String: JSONValue]) throws -> CancelRequest {
        var details: [GatewayError.Detail] = []
        for key in body.keys.sorted() where key != "reason" && key != "force" {
            details.append(.init(field: FieldName.printable(key), issue: "unknown field"))
        }
        var reason: String?
        switch body["reason"] {
        case nil, .null?: break
        case .string(let text)?:
            if let issue = InputBounds.issue(text, InputBounds.cancelReason) {
                details.append(.init(field: "reason", issue: issue))
            } else {
                reason = text
            }
        case let other?: details.append(.init(field: "reason", issue: "must be a string, not \(other.typeName)"))
        }
        var force = false
        switch body["force"] {
        case nil, .null?: break
        case .bool(let value)?: force = value
        case let other?: details.append(.init(field: "force", issue: "must be a boolean, not \(other.typeName)"))
        }
        guard details.isEmpty else { throw GatewayError.invalid(details) }
        return CancelRequest(reason: reason, force: force)
    }

    /// `force: true` only where the connection allows it: on Bitrix24 it may be the native kill, which
    /// deletes the instance's data, so it is opt-in per connection (`allow_force_cancel: true`). Refused
    /// before any upstream call.
    func checkForce(allowed connection: ConnectionConfig) throws {
        guard force, !connection.allowForceCancel else { return }
        var error = GatewayError.invalid(
            "force", "connection '\(connection.name)' does not allow a forced cancel (a Bitrix24 connection allows it with allow_force_cancel: true)"
        )
        error.connection = connection.name
        error.provider = connection.provider
        throw error
    }
}
