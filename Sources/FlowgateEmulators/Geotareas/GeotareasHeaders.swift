import HTTPTypes

/// Header names Geotareas documents. Each literal is a valid field name, so
/// the failable initialiser cannot fail; they are built once here instead of in the request path.
extension HTTPField.Name {
    static let geotareasTenant = Self("tenant")!
    static let geotareasAPIKey = Self("X-API-Key")!
    static let geotareasRateLimit = Self("X-RateLimit-Limit")!
    static let geotareasRateRemaining = Self("X-RateLimit-Remaining")!
    static let geotareasRateReset = Self("X-RateLimit-Reset")!
    static let geotareasRequestID = Self("X-Request-Id")!
}
