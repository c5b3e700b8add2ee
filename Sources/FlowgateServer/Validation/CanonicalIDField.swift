import FlowgateCore
import FlowgateProviders

/// A canonical id a caller sent (path `{id}`, body or query `definition`), checked as every route
/// checks it: ``CanonicalID/parse(_:)``'s rules, and no `:`-separated part of the native id that is
/// `.` or `..` — providers put those parts in upstream paths, one segment each.
enum CanonicalIDField {
    /// The id, or the issue to report on its field.
    static func parse(_ text: String) -> Result<CanonicalID, IssueText> {
        switch CanonicalID.parse(text) {
        case .success(let id):
            if PathSegment.hasDotPart(id.native) {
                return .failure(IssueText("has a native id part that is '.' or '..', which is path navigation, not a name"))
            }
            return .success(id)
        case .failure(let problem):
            return .failure(IssueText(problem.description))
        }
    }

    /// The id, or `400 INVALID_REQUEST` naming `field`.
    static func require(_ text: String, field: String) throws -> CanonicalID {
        switch parse(text) {
        case .success(let id): return id
        case .failure(let issue): throw GatewayError.invalid(field, issue.text)
        }
    }
}

/// Words for an error's `details.issue`, as an `Error` so it can travel in a `Result`.
struct IssueText: Error, Sendable {
    let text: String
    init(_ text: String) { self.text = text }
}
