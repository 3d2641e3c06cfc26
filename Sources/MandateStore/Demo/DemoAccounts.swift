import MandateCore

/// The demo's accounts, one per role, all with the published demo password.
public enum DemoAccounts {
    public static let password = "mandate-demo"
    /// bcrypt (cost 12) of `password`, computed once so that a first start does not spend seconds hashing.
    public static let passwordHash = "$2b$12$uAAA6ytBxWPfsJK9fhDuoOKIrl6g1i7ScXAV6SwTlhj.Xsy88zoAW"

    public struct Account: Sendable {
        public let email: String
        public let displayName: String
        public let unitCode: String
        public let role: Role
    }

    public static let accounts: [Account] = [
        Account(email: "admin@demo.mandate.vn", displayName: "Quản trị hệ thống", unitCode: "BCD", role: .admin),
        Account(
            email: "analyst@demo.mandate.vn", displayName: "Chuyên viên Ban Chỉ đạo", unitCode: "BCD",
            role: .committeeAnalyst),
        Account(email: "viewer@demo.mandate.vn", displayName: "Người xem", unitCode: "BCD", role: .viewer),
        Account(email: "head.hanoi@demo.mandate.vn", displayName: "Lãnh đạo Hà Nội", unitCode: "01", role: .unitHead),
        Account(
            email: "reporter.hanoi@demo.mandate.vn", displayName: "Cán bộ báo cáo Hà Nội", unitCode: "01",
            role: .unitReporter),
        Account(
            email: "head.most@demo.mandate.vn", displayName: "Lãnh đạo Bộ KH&CN", unitCode: "BKHCN", role: .unitHead),
        Account(
            email: "reporter.most@demo.mandate.vn", displayName: "Cán bộ báo cáo Bộ KH&CN", unitCode: "BKHCN",
            role: .unitReporter),
        Account(
            email: "reporter.badinh@demo.mandate.vn", displayName: "Cán bộ báo cáo phường Ba Đình", unitCode: "00004",
            role: .unitReporter),
        Account(
            email: "head.badinh@demo.mandate.vn", displayName: "Lãnh đạo phường Ba Đình", unitCode: "00004",
            role: .unitHead),
    ]
}
