/// What each kind of write changes of what the public reads: the store notes these in the
/// writing transaction, and the pages' declarations of what they read are made against them.
extension ChangeTags {
    /// What storing values of `units` for `indicators` changes:
    /// - drafts: their units' reporting timeliness only (a new key's first report time, which a
    ///   unit's profile shows); nothing else public reads a draft;
    /// - approved values: their units and every ancestor of each (the roll-ups they enter), their
    ///   indicators and the indicators each one weighs (a weighted mean moves with its weights),
    ///   and the approved values as a whole.
    ///
    /// Their leaves in the transparency log are added by the transaction that appended them.
    /// `ancestors` gives a unit's ancestors, `weighted` the indicators whose weight an indicator is.
    public static func storedValues(
        units: Set<String>, indicators: Set<String>, approved: Bool, ancestors: (String) -> [String],
        weighted: (String) -> [String]
    ) -> ChangeTags {
        var tags = Set(units.map(ChangeTag.unit))
        guard approved else { return ChangeTags(tags) }
        tags.insert(.values)
        for unit in units {
            for ancestor in ancestors(unit) { tags.insert(.unit(ancestor)) }
            if tags.count > limit { return .everything }
        }
        for indicator in indicators {
            tags.insert(.indicator(indicator))
            for other in weighted(indicator) { tags.insert(.indicator(other)) }
        }
        return ChangeTags(tags)
    }

    /// What a write to a task's facts changes: the task, the units that lead and coordinate it
    /// (their profiles list it with its status and deadline), and what is read across tasks
    /// (lists, the escalation board, delivery figures). An accepted report's leaf in the log is
    /// added by the transaction that appended it.
    public static func taskWrite(_ task: ProgrammeTask) -> ChangeTags {
        ChangeTags([.task(task.code), .tasks, .unit(task.leadUnit)] + task.coordinatingUnits.map(ChangeTag.unit))
    }
}

extension ChangeTags {
    /// What a citizen's rating of `unit` changes: the satisfaction figures of the unit and of its
    /// parent, the first of its `ancestors` (a province's figures take in its communes'; nothing
    /// higher shows them), and the counts of all.
    public static func rating(unit: String, ancestors: [String]) -> ChangeTags {
        ChangeTags(([unit] + ancestors.prefix(1)).map(ChangeTag.unit) + [.ratings])
    }
}

extension ChangeTags {
    /// What publishing a catalogue entry of `owner` changes: the catalogue, and the owner's
    /// profile, which lists its databases. A draft changes nothing public.
    public static func catalogueEntry(owner: String) -> ChangeTags {
        ChangeTags([.catalogue, .unit(owner)])
    }

    /// What the answers of probed links change: the living quality of whichever databases list
    /// them, shown by the catalogue and by their owners' profiles, which read `.catalogue` for it.
    public static let catalogueLinks: ChangeTags = [.catalogue]
}
