import FlowgateCore
import Foundation
import HTTPTypes
import Hummingbird

/// Which envelope an error on the native route is rendered in: the provider's of the connection when the
/// error knows it, else the provider whose allow-list the path has the shape of (an unknown key or
/// connection is refused before any connection is known, yet the client still speaks one upstream's
/// API), else the canonical one.
enum NativeErrorRendering {
    /// The native route as the router reports a matched endpoint.
    static let routePath = RouterPath(NativeHandler.template).description

    static func response(_ error: GatewayError, headers: HTTPFields, request: Request, rules: [ProviderKind: NativeRules]) throws -> Response? {
        guard let provider = error.provider ?? provider(shapeOf: request.uri.path, rules: rules) else { return nil }
        return try NativeErrorEnvelope.response(error, headers: headers, provider: provider)
    }

    /// The provider whose allow-list has a pattern of the path's shape (the allow-lists do not overlap).
    static func provider(shapeOf rawPath: String, rules: [ProviderKind: NativeRules]) -> ProviderKind? {
        // `/v1/connections/{name}/native/…`: the native part starts at the fifth segment.
        let segments = rawPath.split(separator: "/").dropFirst(4).map { String($0).removingPercentEncoding ?? String($0) }
        return ProviderKind.allCases.first { kind in
            rules[kind]?.allow.contains { $0.hasShape(of: segments) } ?? false
        }
    }
}
