import Foundation

/// The files of `Routes/`, shipped with the binary as resources.
public enum RouteFiles {
    /// The canonical OpenAPI document served at `/v1/openapi.yaml`.
    public static func openAPIDocument() throws -> Data {
        try resource("openapi")
    }

    /// A provider's route table, `Routes/<provider>.yaml`.
    public static func routeTable(_ provider: String) throws -> Data {
        try resource(provider)
    }

    private static func resource(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: url)
    }
}
