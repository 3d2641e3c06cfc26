import Foundation
import Hummingbird
import MandateCore
import NIOCore

extension MultipartForm {
    /// Parses a request body; nil when it is not well-formed multipart with this boundary.
    init?(body: ByteBuffer, boundary: String) {
        self.init(bytes: Data(buffer: body), boundary: boundary)
    }
}
