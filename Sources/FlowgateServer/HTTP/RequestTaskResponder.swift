import Hummingbird

/// Runs each request's middleware and handler in a child task of its connection's task.
///
/// A Swift task keeps the memory its deepest `await` chain ever needed (its allocator keeps freed slabs
/// for reuse until the task ends), and Hummingbird runs every request of a keep-alive connection in
/// that connection's one task. So after a single request through seven middleware layers, the router
/// and a handler, an idle connection kept about 11 KiB of dead stack frames — 110 MiB over 10 000
/// idle connections (valgrind's massif on 2000 idle connections; Benchmarks/RESULTS-notes.md). A child task gives those
/// frames back when the request ends; what an idle connection keeps is the connection loop's own
/// frames. The cost is one child task per request that reaches the router (cache hits answered below
/// the router never get here).
struct RequestTaskResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context: Sendable {
    typealias Context = Inner.Context

    let inner: Inner

    func respond(to request: Request, context: Context) async throws -> Response {
        async let response = inner.respond(to: request, context: context)
        return try await response
    }
}
