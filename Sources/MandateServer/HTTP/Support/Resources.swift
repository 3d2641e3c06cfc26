import Foundation

/// Files shipped in the server's resource bundle.
enum ServerResources {
    /// The path of a resource folder or file under `Resources/`.
    static func path(_ name: String, _ ext: String? = nil) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources") else {
            throw AppError(.internalServerError, "missing-resource", "The resource \(name) is missing")
        }
        return url
    }
}
