import Foundation

/// The files of `Routes/`, shipped with the binary as resources.
public enum RouteFiles {
    /// The canonical OpenAPI document served at `/v1/openapi.yaml`.
    public static func openAPIDocument() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: url)
    }
}
