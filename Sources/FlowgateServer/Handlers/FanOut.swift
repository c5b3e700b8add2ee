import FlowgateCore
import Logging

/// Runs one read against several connections at once (docs/canonical-api.md#fan-out): the answer waits for
/// the slowest connection, not the sum. Some failures make the answer partial; all failing, or any
/// failing under `strict=true`, fail the request with the first failure in connection order.
enum FanOut {
    /// Marks a branch that yielded to another replica's fill; never rendered.
    private static let yielded = GatewayError(.internalError, "yielded to another replica's fill")

    struct Outcome<Value: Sendable>: Sendable {
        /// Successful connections' values, in the order the connections were given.
        var values: [(connection: String, value: Value)]
        var failures: [(connection: String, error: GatewayError)]

        func meta(skipped: [SkippedConnection], requestID: String?) -> FanOutMeta {
            FanOutMeta(
                partial: !failures.isEmpty,
                errors: failures.map { ConnectionFailure(connection: $0.connection, error: $0.error.body(requestID: requestID)) },
                skipped: skipped
            )
        }
    }

    /// A branch that fails with a bug (not a canonical error) is logged at error level on `logger`,
    /// which carries the request id, before it becomes that connection's `500` in `meta.errors`. A
    /// branch stopped because another replica fills this read (``FleetClaim/Yielded``) stops the whole
    /// fan-out: that replica's answer will be served instead.
    static func run<Value: Sendable>(
        _ connections: [String], strict: Bool, logger: Logger, _ read: @escaping @Sendable (String) async throws -> Value
    ) async throws -> Outcome<Value> {
        let results: [Result<Value, GatewayError>?]
        if connections.count == 1 {
            // One connection (a `definition` filter names it) is read in this task: a task group of one
            // cost a child task and a hop for nothing.
            results = [await branch(connections[0], logger: logger, read)]
        } else {
            results = await withTaskGroup(of: (Int, Result<Value, GatewayError>).self) { group in
                for (index, connection) in connections.enumerated() {
                    group.addTask { (index, await branch(connection, logger: logger, read)) }
                }
                var results = [Result<Value, GatewayError>?](repeating: nil, count: connections.count)
                for await (index, result) in group { results[index] = result }
                return results
            }
        }
        if results.contains(where: { if case .failure(let error)? = $0 { error == Self.yielded } else { false } }) {
            throw FleetClaim.Yielded()
        }
        var outcome = Outcome<Value>(values: [], failures: [])
        for (connection, result) in zip(connections, results) {
            switch result {
            case .success(let value)?: outcome.values.append((connection, value))
            case .failure(let error)?: outcome.failures.append((connection, error))
            case nil: break
            }
        }
        if let first = outcome.failures.first, strict || outcome.values.isEmpty {
            throw first.error
        }
        return outcome
    }

    /// One connection's read, its failure in canonical form.
    private static func branch<Value: Sendable>(
        _ connection: String, logger: Logger, _ read: @Sendable (String) async throws -> Value
    ) async -> Result<Value, GatewayError> {
        do {
            return .success(try await read(connection))
        } catch is FleetClaim.Yielded {
            return .failure(Self.yielded)
        } catch {
            let (canonical, _, isBug) = ErrorMapping.canonical(error)
            if isBug {
                logger.error(
                    "Unhandled error in a fan-out branch",
                    metadata: ["connection": "\(connection)", "error.type": "\(String(reflecting: type(of: error)))", "error": "\(error)"]
                )
            }
            return .failure(canonical)
        }
    }
}
