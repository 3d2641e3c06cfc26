import HTTPTypes
import Hummingbird
import MandateCore

extension Response {
    /// The answer, declaring what it is made from: a copy of it kept at the edge (or shared among
    /// identical requests) is dropped by a commit that changed any of `reads`, and by no other.
    /// An answer that declares nothing is made from everything. The declaration travels in an
    /// internal header that `EdgeCacheMiddleware` removes before the answer leaves the server.
    func depending(on reads: ChangeTags) -> Response {
        var response = self
        response.headers[.edgeReads] = reads.description
        return response
    }

    /// The answer as one the edge keeps until a commit changes what it is made from, while
    /// browsers revalidate it each time (`no-cache`), as pages are: for public answers that must
    /// show a write the moment it commits.
    func keptAtEdge(dependingOn reads: ChangeTags) -> Response {
        var response = depending(on: reads)
        response.headers[.cacheControl] = "no-cache"
        response.headers[.edgeKeep] = "1"
        return response
    }

    /// What the answer declares it is made from (`everything` when it declares nothing).
    var reads: ChangeTags {
        headers[.edgeReads].flatMap { ChangeTags(parsing: $0) } ?? .everything
    }
}

extension HTTPField.Name {
    /// What a public answer is made from (see `Response.depending(on:)`); never leaves the server.
    static let edgeReads = Self("Mandate-Edge-Reads")!
}
