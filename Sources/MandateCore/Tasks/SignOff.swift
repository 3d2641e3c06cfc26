/// The one rule on what a unit's reporters write for others to read: a proposed task or a
/// recommendation is public only once the unit's head signs it off, as a value is once approved.
///
/// Until then it is shown to those who may read the unit's internal data (`Action.readInternal`:
/// the unit, the units above it, committee roles), the committee cannot adopt it and the unit it
/// is addressed to cannot answer it. What a head (or an administrator) writes is signed off as it
/// is written; assigned tasks are the committee's own and public as they are assigned.
public enum SignOff {
    /// Whether what `writer` writes for the unit at `unit` is signed off as it is written: when
    /// the writer may sign off for that unit itself.
    public static func isImmediate(writer: Principal, unit: UnitPath) -> Bool {
        Authorizer.decide(writer, target: unit, action: .signOff).isAllowed
    }

    /// Whether `reader` is shown something of the unit at `unit` that is signed off or not
    /// (`signedOff`): once signed off, everyone; before, those who may read the unit's internal data.
    public static func shows(signedOff: Bool, unit: UnitPath, to reader: Principal) -> Bool {
        signedOff || Authorizer.decide(reader, target: unit, action: .readInternal).isAllowed
    }

    /// The units (of `units`, with their places in the tree) whose unsigned proposals and
    /// recommendations `reader` is shown: what a list asks the store for besides the public ones.
    public static func unsignedShown(to reader: Principal, of units: [String: UnitPath]) -> Set<String> {
        Set(units.filter { shows(signedOff: false, unit: $0.value, to: reader) }.keys)
    }
}
