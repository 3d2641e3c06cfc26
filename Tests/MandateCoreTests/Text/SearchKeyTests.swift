import Testing

@testable import MandateCore

@Suite struct SearchKeyTests {
    @Test(arguments: [
        ("Hà Nội", "ha noi"), ("HA  NỘI", "ha noi"), ("ha noi", "ha noi"), ("Đà Nẵng", "da nang"),
        ("đ", "d"), ("Thành phố Hồ Chí Minh", "thanh pho ho chi minh"),
        ("Phường Ba Đình, 00004", "phuong ba dinh 00004"),
        ("  Xã   Ea  H'leo ", "xa ea h leo"), ("Ưu tiên ở Quảng Ngãi", "uu tien o quang ngai"),
        // Full-width letters and digits fold by compatibility (NFKC/NFKD).
        ("ＨＡ ＮỘＩ", "ha noi"), ("Phường ０００４", "phuong 0004"), ("ﬁle", "file"),
    ])
    func foldsCaseAndDiacritics(input: String, expected: String) {
        #expect(SearchKey.fold(input) == expected)
    }

    @Test func termsAreFoldedWordsWithoutWildcards() {
        #expect(SearchKey.terms("Hà  Nội%_") == ["ha", "noi"])
        #expect(SearchKey.terms("  ").isEmpty)
    }

    @Test func unitSearchKeyCoversNamesAndCode() {
        let unit = OrgUnit(
            code: "48", kind: .province, name: "Thành phố Đà Nẵng", shortName: "Đà Nẵng", type: "Thành phố",
            parentCode: "BCD")
        #expect(unit.searchKey.contains("da nang"))
        #expect(unit.searchKey.hasSuffix("48"))
    }
}
