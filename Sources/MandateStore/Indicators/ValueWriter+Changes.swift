import MandateCore

extension ValueWriter {
    /// Notes what storing the values of `keys` changes of what the public reads
    /// (`ChangeTags.storedValues`): once per part of a submission, not per row. Their units and
    /// indicators are gathered only until they are too many to name; the transaction then changes
    /// everything, and later parts are not looked at.
    func noteChanges(of keys: some Sequence<DataValueKey>, approved: Bool) {
        guard !ChangeRecorder.holdsEverything else { return }
        var units = Set<String>()
        var indicators = Set<String>()
        // Rows come grouped more often than not: a repeat costs a comparison, not a hash.
        var lastUnit = ""
        var lastIndicator = ""
        for key in keys {
            if key.unit != lastUnit {
                units.insert(key.unit)
                lastUnit = key.unit
            }
            if key.indicator != lastIndicator {
                indicators.insert(key.indicator)
                lastIndicator = key.indicator
            }
            if units.count + indicators.count > ChangeTags.limit {
                ChangeRecorder.note(.everything)
                return
            }
        }
        guard !units.isEmpty else {
            ChangeRecorder.note(.nothingPublic)
            return
        }
        ChangeRecorder.note(
            .storedValues(
                units: units, indicators: indicators, approved: approved, ancestors: self.units.ancestors(of:),
                weighted: { weighing[$0] ?? [] }))
    }
}
