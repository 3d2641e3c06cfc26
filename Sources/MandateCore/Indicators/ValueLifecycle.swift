/// What a value says: the number, and the comment and evidence that come with it.
public struct ValueContent: Sendable, Hashable {
    public var value: Double
    public var comment: String?
    public var evidence: String?

    public init(value: Double, comment: String? = nil, evidence: String? = nil) {
        self.value = value
        self.comment = comment
        self.evidence = evidence
    }
}

/// The life of a stored value: a draft, made public by the unit head's approval; a correction of an
/// approved value, which waits beside it until approved. The one rule for what each arrival does
/// to what is stored for a key; the store acts on its answer.
public enum ValueLifecycle {
    /// What is stored for a key.
    public enum Stored: Sendable, Hashable {
        case nothing
        case draft(ValueContent)
        /// An approved (public) value, with the correction waiting beside it, if any.
        case approved(ValueContent, correction: ValueContent?)
    }

    /// What arrives for a key.
    public enum Arrival: Sendable, Hashable {
        /// A value entered by a reporter (a draft) or by one who may approve it (approved: the
        /// head's entry, an operator's import). A comment or evidence left out keeps what is stored.
        case entry(CheckedValue, approved: Bool)
        /// The unit head's approval of what waits.
        case approval
    }

    /// What the arrival does.
    public enum Step: Sendable, Hashable {
        /// Nothing is written: the same content again, or nothing to approve.
        case unchanged
        /// A new row, with the status given; its first report is judged on time or late now.
        case created(ValueStatus)
        /// The row takes a new content and status; the content it had goes to history. A correction
        /// that waited (`setsCorrectionAside`) goes to history first.
        case replaced(ValueContent, status: ValueStatus, setsCorrectionAside: Bool)
        /// A draft becomes public as it stands: no history.
        case approved
        /// A correction waits beside the approved value, which stays public. The correction that
        /// waited before (`replacesCorrection`) goes to history.
        case correctionWaits(ValueContent, replacesCorrection: Bool)
        /// The approved value was entered again: the waiting correction is withdrawn, into history.
        case correctionWithdrawn
        /// The waiting correction becomes the public value; the value it corrects goes to history.
        case correctionApproved
    }

    /// What `arrival` does to what is `stored`.
    public static func step(_ stored: Stored, _ arrival: Arrival) -> Step {
        switch (stored, arrival) {
        case (.nothing, .entry(_, let approved)):
            return .created(approved ? .approved : .draft)
        case (.nothing, .approval), (.approved(_, correction: nil), .approval):
            return .unchanged
        case (.draft, .approval):
            return .approved
        case (.approved(_, correction: .some), .approval):
            return .correctionApproved
        case (.approved(let current, let correction), .entry(let entry, approved: false)):
            // A draft beside an approved value is a correction; what it leaves out, it takes from
            // what was entered last.
            let latest = correction ?? current
            let proposed = entry.content(replacing: latest)
            if proposed == latest { return .unchanged }
            if proposed == current { return .correctionWithdrawn }
            return .correctionWaits(proposed, replacesCorrection: correction != nil)
        case (.draft(let current), .entry(let entry, let approved)):
            let proposed = entry.content(replacing: current)
            if proposed == current { return approved ? .approved : .unchanged }
            return .replaced(proposed, status: approved ? .approved : .draft, setsCorrectionAside: false)
        case (.approved(let current, let correction), .entry(let entry, approved: true)):
            // The same approved content again changes nothing, a waiting correction included: a
            // file imported twice changes nothing the second time.
            let proposed = entry.content(replacing: current)
            if proposed == current { return .unchanged }
            return .replaced(proposed, status: .approved, setsCorrectionAside: correction != nil)
        }
    }
}

extension ValueLifecycle.Stored {
    /// What `value` (nil: none) holds, as the lifecycle sees it.
    public init(_ value: DataValue?) {
        guard let value else {
            self = .nothing
            return
        }
        let content = ValueContent(value: value.value, comment: value.comment, evidence: value.evidence)
        switch value.status {
        case .draft: self = .draft(content)
        case .approved:
            self = .approved(
                content,
                correction: value.pending.map {
                    ValueContent(value: $0.value, comment: $0.comment, evidence: $0.evidence)
                })
        }
    }
}

extension CheckedValue {
    /// The content this value gives in place of `stored`: a comment or evidence left out keeps the
    /// stored one, and one given blank clears it.
    public func content(replacing stored: ValueContent?) -> ValueContent {
        ValueContent(
            value: value, comment: comment(replacing: stored?.comment), evidence: evidence(replacing: stored?.evidence))
    }
}
