/// The kinds of partner the "three-house" model brings in beside the state: enterprises,
/// universities, research institutes, associations and funds. A partner unit's `type` is the
/// kind's Vietnamese name, as the reference data writes unit types.
public enum PartnerType: String, Codable, Sendable, CaseIterable {
    case enterprise, university, institute, association, fund

    /// The type as a unit stores it.
    public var unitType: String {
        switch self {
        case .enterprise: "Doanh nghiệp"
        case .university: "Trường đại học"
        case .institute: "Viện nghiên cứu"
        case .association: "Hiệp hội"
        case .fund: "Quỹ"
        }
    }

    /// The kind of a stored partner, from its type.
    public init?(unitType: String) {
        guard let kind = Self.allCases.first(where: { $0.unitType == unitType }) else { return nil }
        self = kind
    }
}

/// A partner unit as an administrator adds or edits it, through the API or the partner form: it
/// sits directly under the committee and may lead or coordinate tasks like any unit.
public struct PartnerDraft: Codable, Sendable, Hashable {
    public var code: String
    public var name: String
    public var shortName: String?
    public var nameEn: String?
    public var type: PartnerType

    public init(code: String, name: String, shortName: String? = nil, nameEn: String? = nil, type: PartnerType) {
        self.code = code
        self.name = name
        self.shortName = shortName
        self.nameEn = nameEn
        self.type = type
    }

    /// The unit this draft makes under `committee`, or every problem with it (field and reason,
    /// in both languages). `existing` is the unit stored with the code, if one is: only a
    /// partner is edited here.
    public func unit(under committee: String, existing: OrgUnit?) throws(ValidationFailure) -> OrgUnit {
        var problems = FieldProblems()
        let code = code.trimmingWhitespace()
        if !UnitCode.isValid(code) {
            problems.fail("code", UnitCode.rule, "mã có 1 đến 32 chữ cái không dấu, chữ số hoặc dấu gạch ngang")
        }
        if let existing, existing.kind != .partner {
            problems.fail(
                "code", "unit \(code) is a \(existing.kind.rawValue), not a partner",
                "mã \(code) là của một đơn vị khác, không phải đối tác")
        }
        let name = HumanText.cleaned(name)
        if name.isEmpty || name.count > 300 {
            problems.fail("name", "a name has 1 to 300 characters", "tên có 1 đến 300 ký tự")
        }
        let shortName = HumanText.cleaned(shortName ?? "")
        if shortName.count > 100 {
            problems.fail("shortName", "a short name has at most 100 characters", "tên viết tắt có tối đa 100 ký tự")
        }
        let nameEn = HumanText.cleaned(nameEn ?? "")
        if nameEn.count > 300 {
            problems.fail("nameEn", "a name has at most 300 characters", "tên có tối đa 300 ký tự")
        }
        try problems.check()
        return OrgUnit(
            code: code, kind: .partner, name: name, shortName: shortName.isEmpty ? name : shortName,
            nameEn: nameEn.isEmpty ? nil : nameEn, type: type.unitType, parentCode: committee,
            latitude: existing?.latitude, longitude: existing?.longitude, areaKm2: existing?.areaKm2,
            active: existing?.active ?? true)
    }
}
