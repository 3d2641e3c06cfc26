import Hummingbird

extension Parameters {
    /// A query value as a form sent it: percent-decoded, with "+" read as a space.
    func formValue(_ name: String) -> String? {
        self[Substring(name)].map { $0.replacingOccurrences(of: "+", with: " ") }
    }
}
