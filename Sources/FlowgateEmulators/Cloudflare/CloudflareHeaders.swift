import HTTPTypes

/// Rate-limit header names Cloudflare documents. The literals are valid field names,
/// so the failable initialiser cannot fail; they are built once here instead of in the request path.
extension HTTPField.Name {
    static let cloudflareRatelimit = Self("Ratelimit")!
    static let cloudflareRatelimitPolicy = Self("Ratelimit-Policy")!
}
