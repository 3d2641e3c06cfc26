/// A rating as a citizen sends it, through the form or `POST /api/v1/feedback`: what is rated
/// (a unit, or a task), the overall score, the factors rated and a comment, all optional but
/// the subject and the overall score.
public struct FeedbackDraft: Codable, Sendable, Hashable {
    public var unit: String?
    public var task: String?
    public var overall: Int?
    public var factors: [String: Int]?
    public var comment: String?

    public init(
        unit: String? = nil, task: String? = nil, overall: Int?, factors: [String: Int]? = nil, comment: String? = nil
    ) {
        self.unit = unit
        self.task = task
        self.overall = overall
        self.factors = factors
        self.comment = comment
    }

    /// The longest comment, in characters.
    public static let maximumComment = 1_200
    public static let scores = 1...5

    /// What the citizen rates, once the draft is checked.
    public enum Subject: Sendable, Hashable {
        case unit(String)
        case task(String)
    }

    /// The checked parts of the draft: its subject, scores and comment (cleaned and masked), or
    /// every problem with it, each naming its field in both languages.
    public func checked() throws(ValidationFailure) -> (
        subject: Subject, overall: Int, factors: [SipasFactor: Int], comment: String?
    ) {
        var problems = FieldProblems()
        let unit = unit?.trimmingWhitespace() ?? ""
        let task = task?.trimmingWhitespace() ?? ""
        var subject = Subject.unit(unit)
        switch (unit.isEmpty, task.isEmpty) {
        case (false, true): subject = .unit(unit)
        case (true, false): subject = .task(task)
        default:
            problems.fail(
                "unit", "name either the unit or the task rated", "hãy chọn đơn vị hoặc nhiệm vụ được đánh giá")
        }
        if overall.map({ !Self.scores.contains($0) }) ?? true {
            problems.fail("overall", "choose a score from 1 to 5", "hãy chọn điểm từ 1 đến 5")
        }
        var factors: [SipasFactor: Int] = [:]
        for (name, score) in self.factors ?? [:] {
            guard let factor = SipasFactor(rawValue: name) else {
                let known = SipasFactor.allCases.map(\.rawValue).joined(separator: ", ")
                problems.fail(
                    "factors.\(name)", "not a factor; the factors are \(known)",
                    "không phải là tiêu chí; các tiêu chí là \(known)")
                continue
            }
            guard Self.scores.contains(score) else {
                problems.fail("factors.\(name)", "a score is from 1 to 5", "điểm từ 1 đến 5")
                continue
            }
            factors[factor] = score
        }
        var comment: String?
        if let typed = self.comment {
            let cleaned = HumanText.cleaned(typed, multiline: true)
            if cleaned.count > Self.maximumComment {
                problems.fail(
                    "comment", "a comment has at most \(Self.maximumComment) characters (this one \(cleaned.count))",
                    "ý kiến có tối đa 1.200 ký tự (ý kiến này có \(cleaned.count))")
            } else if !cleaned.isEmpty {
                comment = PersonalData.masked(cleaned)
            }
        }
        try problems.check()
        return (subject, overall ?? 0, factors, comment)
    }
}
