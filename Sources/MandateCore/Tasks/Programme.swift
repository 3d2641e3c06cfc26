/// A programme of the committee (e.g. Resolution 57-NQ/TW) and the orientations its tasks fall under.
public struct Programme: Codable, Sendable, Hashable {
    public var code: String
    public var nameVi: String
    public var nameEn: String
    public var orientations: [Orientation]

    public init(code: String, nameVi: String, nameEn: String, orientations: [Orientation]) {
        self.code = code
        self.nameVi = nameVi
        self.nameEn = nameEn
        self.orientations = orientations
    }
}

/// One numbered orientation of a programme, e.g. the seven orientations for 2026 of Notice 17-TB.
public struct Orientation: Codable, Sendable, Hashable {
    public var number: Int
    public var titleVi: String
    public var titleEn: String

    public init(number: Int, titleVi: String, titleEn: String) {
        self.number = number
        self.titleVi = titleVi
        self.titleEn = titleEn
    }
}
