/// Every kind of write (and the one kind of restricted read) the system authorises.
public enum Action: String, Codable, Sendable, CaseIterable {
    // Administration
    case manageUnits = "manage_units"
    case manageAccounts = "manage_accounts"
    /// Create or revoke one's own API tokens.
    case manageOwnTokens = "manage_own_tokens"
    /// Read the server's operational metrics (`/metrics`) from an address not listed for it.
    case readMetrics = "read_metrics"

    // Committee decisions
    case assignTask = "assign_task"
    /// Define, edit and archive programmes and their orientations.
    case defineProgramme = "define_programme"
    case reviewReport = "review_report"
    case adoptProposal = "adopt_proposal"
    case decideExtension = "decide_extension"
    case defineIndicator = "define_indicator"
    case defineRankingMethod = "define_ranking_method"
    case publishRanking = "publish_ranking"
    case allocateBudget = "allocate_budget"
    case moderateFeedback = "moderate_feedback"
    /// Record a sampled audit of a database and declare what the catalogue expects of a unit.
    case auditCatalogue = "audit_catalogue"
    /// Read the trail of authorisation decisions.
    case readAudit = "read_audit"

    // A unit's own reporting
    case reportProgress = "report_progress"
    case enterValue = "enter_value"
    case requestExtension = "request_extension"
    case proposeTask = "propose_task"
    case raiseRecommendation = "raise_recommendation"
    case answerRecommendation = "answer_recommendation"
    /// Answer what citizens said of the unit (a published comment).
    case answerFeedback = "answer_feedback"
    case editCatalogue = "edit_catalogue"
    case reportBudget = "report_budget"

    // A unit head's sign-off
    case submitReport = "submit_report"
    case approveValue = "approve_value"
    /// Make public what the unit's reporters proposed or recommended.
    case signOff = "sign_off"
    /// Publish the unit's catalogue entries as its reporters wrote them.
    case approveCatalogue = "approve_catalogue"

    /// Read a unit's data that is not yet public (drafts, unapproved values).
    case readInternal = "read_internal"

    // What anyone may contribute, signed in or not
    /// Rate a unit's public services or a task's result.
    case rateService = "rate_service"

    /// How the action is scoped.
    public var scope: Scope {
        switch self {
        case .manageUnits, .manageAccounts, .readMetrics: .administration
        case .manageOwnTokens: .personal
        case .assignTask, .defineProgramme, .reviewReport, .adoptProposal, .decideExtension, .defineIndicator,
            .defineRankingMethod,
            .publishRanking, .allocateBudget, .readAudit, .auditCatalogue:
            .committee
        case .moderateFeedback: .unitModeration
        case .reportProgress, .enterValue, .requestExtension, .proposeTask, .raiseRecommendation,
            .answerRecommendation, .answerFeedback, .editCatalogue, .reportBudget:
            .unitReporting
        case .submitReport, .approveValue, .signOff, .approveCatalogue: .unitSignOff
        case .readInternal: .internalRead
        case .rateService: .publicContribution
        }
    }

    /// The action in words, for a refusal ("only committee roles may publish rankings").
    public var phrase: String {
        switch self {
        case .manageUnits: "manage units"
        case .manageAccounts: "manage accounts"
        case .manageOwnTokens: "manage your own API tokens"
        case .readMetrics: "read the server's metrics"
        case .assignTask: "assign tasks"
        case .defineProgramme: "define programmes"
        case .reviewReport: "review reports"
        case .adoptProposal: "adopt proposals"
        case .decideExtension: "decide on extensions"
        case .defineIndicator: "define indicators"
        case .defineRankingMethod: "define ranking methods"
        case .publishRanking: "draft and publish rankings"
        case .allocateBudget: "allocate budgets"
        case .moderateFeedback: "moderate feedback"
        case .auditCatalogue: "audit databases"
        case .readAudit: "read the audit trail"
        case .reportProgress: "report progress"
        case .enterValue: "enter values"
        case .requestExtension: "request extensions"
        case .proposeTask: "propose tasks"
        case .raiseRecommendation: "raise recommendations"
        case .answerRecommendation: "answer recommendations"
        case .answerFeedback: "answer citizens' comments"
        case .editCatalogue: "edit the catalogue"
        case .reportBudget: "report budgets"
        case .submitReport: "submit reports"
        case .approveValue: "approve values"
        case .signOff: "sign off proposals and recommendations"
        case .approveCatalogue: "approve catalogue entries"
        case .readInternal: "read a unit's internal data"
        case .rateService: "rate services"
        }
    }

    public enum Scope: Sendable {
        case administration, personal, committee, unitReporting, unitSignOff, internalRead
        /// What is said of a unit in public: its head, and committee roles for every unit.
        case unitModeration
        /// Open to every principal, anonymous visitors included.
        case publicContribution
    }
}
