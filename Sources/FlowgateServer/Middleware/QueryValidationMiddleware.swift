import FlowgateCore
import Hummingbird

/// Rejects query parameters a route does not define, and repeats of those that may not repeat, so a
/// misspelt filter (`stauts=running`) is an error rather than a silently unfiltered list.
struct QueryValidationMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let spec: CanonicalRoute

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var details: [GatewayError.Detail] = []
        var seen: Set<Substring> = []
        for (name, _) in request.uri.queryParameters {
            let text = String(name)
            if !spec.query.contains(text) {
                details.append(.init(field: FieldName.printable(text), issue: "unknown query parameter"))
            } else if !seen.insert(name).inserted && !spec.repeatable.contains(text) {
                details.append(.init(field: FieldName.printable(text), issue: "may appear only once"))
            }
        }
        guard details.isEmpty else { throw GatewayError.invalid(Array(Set(details)).sorted { ($0.field ?? "") < ($1.field ?? "") }) }
        return try await next(request, context)
    }
}
