/// What a user may do, always bound to the user's unit.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// Runs the system: units, accounts, everything.
    case admin
    /// The steering committee's standing agency: defines, assigns, reviews and publishes everywhere.
    case committeeAnalyst = "committee_analyst"
    /// Approves what the unit submits before it goes to the committee.
    case unitHead = "unit_head"
    /// Reports the unit's progress and data.
    case unitReporter = "unit_reporter"
    /// Reads the unit's internal data; writes nothing.
    case viewer

    /// Roles whose writes are not bounded by their own unit.
    public var isCommitteeRole: Bool {
        self == .admin || self == .committeeAnalyst
    }
}
