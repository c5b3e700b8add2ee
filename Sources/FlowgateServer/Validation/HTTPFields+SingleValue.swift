import HTTPTypes

extension HTTPFields {
    /// The value of the field `name`, exactly as `self[name]` reads it, without its cost when the field
    /// appears once: the subscript joins every value through a lazy map even for one, which cost more
    /// than the rest of reading the `Authorization` header on each request. Repeated fields still come
    /// back joined with ", ", so a request with two keys is read as it always was.
    func value(of name: HTTPField.Name) -> String? {
        var found: HTTPField?
        for field in self where field.name == name {
            guard found == nil else { return self[name] }
            found = field
        }
        return found?.value
    }
}
