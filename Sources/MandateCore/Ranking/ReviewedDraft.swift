/// What a publisher saw of a draft ranking: the method's version, the digest of the inputs, and the
/// digest of the method as applied (with its targets resolved). Publishing computes the ranking
/// again, and goes ahead only if it is still the draft reviewed; a part left out is not checked.
public struct ReviewedDraft: Sendable, Equatable {
    public var methodVersion: Int?
    public var inputsDigest: String?
    public var methodDigest: String?

    public init(methodVersion: Int? = nil, inputsDigest: String? = nil, methodDigest: String? = nil) {
        self.methodVersion = methodVersion
        self.inputsDigest = inputsDigest
        self.methodDigest = methodDigest
    }

    /// How the ranking computed now differs from the draft reviewed.
    public enum Change: Sendable, Equatable {
        /// The method has another latest version.
        case methodVersion(reviewed: Int, current: Int)
        /// The inputs (values of the period or of the previous one) changed.
        case inputs(reviewed: String, current: String)
        /// The method as applied is another document: an indicator's target changed (or, when the
        /// version was not given, the method has a new version).
        case method(reviewed: String, current: String)

        /// The field of the publish request that carried the part reviewed.
        public var field: String {
            switch self {
            case .methodVersion: "methodVersion"
            case .inputs: "expectedInputsDigest"
            case .method: "expectedMethodDigest"
            }
        }

        public var reason: String {
            switch self {
            case .methodVersion(let reviewed, let current):
                "the draft reviewed was of version \(reviewed) of the method, whose latest version is now "
                    + "\(current); nothing was published: review the new draft"
            case .inputs(let reviewed, let current):
                "the inputs changed since the draft was computed (their SHA-256 is now \(current), not "
                    + "\(reviewed)); nothing was published: review the new draft"
            case .method(let reviewed, let current):
                "the method as applied changed since the draft was computed (a new version, or an indicator's "
                    + "target): its SHA-256 is now \(current), not \(reviewed); nothing was published: review the "
                    + "new draft"
            }
        }
    }

    /// The differences between the draft reviewed and `method` applied to give `result`, computed
    /// now; none when it may be published.
    public func changes(method: RankingMethod, result: RankingResult) -> [Change] {
        var changes: [Change] = []
        if let methodVersion, methodVersion != method.version {
            changes.append(.methodVersion(reviewed: methodVersion, current: method.version))
        } else if let methodDigest {
            // A new version changes the document too; said once, as the version.
            let current = PublishedRanking.digest(method)
            if methodDigest != current { changes.append(.method(reviewed: methodDigest, current: current)) }
        }
        if let inputsDigest, let current = result.inputDigest, inputsDigest != current {
            changes.append(.inputs(reviewed: inputsDigest, current: current))
        }
        return changes
    }
}
