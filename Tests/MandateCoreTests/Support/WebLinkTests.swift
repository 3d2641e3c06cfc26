import MandateCore
import Testing

/// One rule for a web link, wherever one is typed: the catalogue, a report's evidence, a value's.
@Suite struct WebLinkTests {
    @Test(arguments: [
        "https://dulieu.gov.vn/csdl", "http://a.vn", "HTTPS://Dulieu.gov.vn/Bien-ban?so=1#trang-2",
        "https://" + String(repeating: "a", count: 1_992),
    ])
    func aWebLinkIsTaken(_ text: String) {
        #expect(WebLink.isValid(text))
    }

    @Test(arguments: [
        "", "dulieu.gov.vn", "ftp://dulieu.gov.vn/a.csv", "https://", "https:///path", "javascript:alert(1)",
        "https://a.vn/b c", "https://a.vn/\"x\"", "https://a.vn/<script>",
        "https://" + String(repeating: "a", count: 1_993),
    ])
    func anythingElseIsNot(_ text: String) {
        #expect(!WebLink.isValid(text))
    }

    @Test func reportsValuesAndTheCatalogueAskTheSameRule() {
        for text in ["HTTPS://a.vn/x", "https://a.vn/<b>", "https:///x", "https://a.vn/ok"] {
            #expect((Evidence.normalised(text) != nil) == WebLink.isValid(text), "\(text)")
        }
    }
}
