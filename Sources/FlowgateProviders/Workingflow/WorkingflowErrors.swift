import FlowgateCore

/// Workingflow's flat error envelope, `{"error": "<message>", "code": "<CODE>"}`, and the codes its
/// REST API chapter documents. A code not in the table falls back to the HTTP status.
enum WorkingflowErrors {
    static let table = UpstreamErrorTable([
        "UNAUTHORIZED": .init(.upstreamAuthFailed, "Workingflow rejected the gateway's API key; the connection's credentials need attention"),
        "PROCESS_NOT_FOUND": .init(.notFound, "No such Workingflow process definition"),
        "INSTANCE_NOT_FOUND": .init(.notFound, "No such Workingflow process instance"),
        "FILE_NOT_FOUND": .init(.notFound, "No such file on this Workingflow process instance"),
        "PROCESS_SUSPENDED": .init(.conflict, "The Workingflow process definition is suspended"),
        "START_FORM_NOT_SUPPORTED": .init(.unprocessable, "The Workingflow process has a start form, so it cannot be started through the API"),
        "INTERNAL_ERROR": .init(.upstreamError, "Workingflow failed with an internal error"),
    ])

    static func failure(_ reply: UpstreamReply, connection: ProviderConnection) -> GatewayError {
        var code: String?
        var message: String?
        if case .object(let envelope)? = UpstreamJSON.parse(reply.body) {
            code = envelope["code"]?.stringValue
            message = envelope["error"]?.stringValue
        }
        let row = code.flatMap { table[$0] }
        return connection.error(
            row?.code ?? UpstreamErrorTable.byStatus(reply.status), row?.message ?? "Workingflow answered HTTP \(reply.status)",
            upstream: .init(status: reply.status, code: code, message: connection.scrub(message))
        )
    }
}
