import HTTPTypes
import Hummingbird
import MandateCore
import MandateStore

/// `/open-data/catalogue` (and `/open-data/catalogue/{unit}`): the approved catalogue as DCAT-AP 3,
/// JSON-LD or Turtle by the `Accept` header, or by the `.jsonld` and `.ttl` addresses. The export
/// is written as it is read, a batch of entries at a time, so its memory does not grow with the
/// catalogue.
struct CatalogueExport {
    let catalogue: any CatalogueRepository
    let units: any UnitRepository

    static let batch = 500

    enum Format: String {
        case jsonLD = "jsonld"
        case turtle = "ttl"

        var contentType: String {
            switch self {
            case .jsonLD: "application/ld+json; charset=utf-8"
            case .turtle: "text/turtle; charset=utf-8"
            }
        }

        /// The format an `Accept` header prefers: Turtle when it names `text/turtle` before any
        /// JSON type, JSON-LD otherwise.
        static func negotiated(_ accept: String?) -> Format {
            let types = (accept ?? "").lowercased().split(separator: ",").map {
                $0.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            }
            let turtle = types.firstIndex(of: "text/turtle")
            let json = types.firstIndex { $0 == "application/ld+json" || $0 == "application/json" }
            if let turtle, json.map({ turtle < $0 }) ?? true { return .turtle }
            return .jsonLD
        }
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/open-data/catalogue", use: whole)
        router.get("/open-data/catalogue.jsonld") { try await export($0, $1, unit: nil, format: .jsonLD) }
        router.get("/open-data/catalogue.ttl") { try await export($0, $1, unit: nil, format: .turtle) }
        router.get("/open-data/catalogue/{unit}", use: ofUnit)
    }

    @Sendable func whole(_ request: Request, context: AppRequestContext) async throws -> Response {
        var response = try await export(
            request, context, unit: nil, format: .negotiated(request.headers[.accept]), negotiated: true)
        response.headers[.vary] = "Accept"
        return response
    }

    @Sendable func ofUnit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let name = try context.parameters.require("unit")
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        if parts.count == 2 {
            guard let format = Format(rawValue: parts[1]) else {
                throw AppError.notFound("no catalogue export \"\(name)\"; use .jsonld or .ttl")
            }
            return try await export(request, context, unit: parts[0], format: format)
        }
        var response = try await export(
            request, context, unit: name, format: .negotiated(request.headers[.accept]), negotiated: true)
        response.headers[.vary] = "Accept"
        return response
    }

    func publisher(_ unit: OrgUnit) -> DCATExport.Publisher {
        DCATExport.Publisher(
            code: unit.code, nameVi: unit.name, nameEn: unit.nameEn ?? "",
            national: unit.kind == .committee || unit.kind == .ministry || unit.kind == .partner)
    }

    func export(
        _ request: Request, _ context: AppRequestContext, unit: String?, format: Format, negotiated: Bool = false
    ) async throws -> Response {
        let site = TransparencyPages.siteURL(request)
        let head: OrgUnit
        if let unit {
            guard let found = try await units.get(code: unit) else {
                throw AppError.notFound(field: "unit", "unknown unit \"\(unit)\"")
            }
            head = found
        } else {
            guard let root = try await units.root(), let found = try await units.get(code: root) else {
                throw AppError.notFound("the unit tree has no committee")
            }
            head = found
        }
        let owners: Set<String>? = unit.map { [$0] }
        let catalogue = self.catalogue
        let publisher = publisher(head)
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        headers[.cacheControl] = "no-cache"
        if !negotiated { headers[.edgeKeep] = "1" }
        headers[.contentDisposition] =
            "inline; filename=\"mandate-catalogue\(unit.map { "-" + $0 } ?? "").\(format.rawValue)\""
        headers[.edgeReads] = ChangeTags([.catalogue]).description
        // Every unit as a publisher, read once: an export names thousands of owners.
        let everyUnit = try await units.list(UnitQuery(includeInactive: true, limit: 1_000_000)).items
        let body = ResponseBody { writer in
            let publishers = Dictionary(
                everyUnit.map { ($0.code, self.publisher($0)) }, uniquingKeysWith: { first, _ in first })
            var codes: [String] = []
            var after: String?
            var first = true
            try await writer.write(
                ByteBuffer(bytes: format == .jsonLD ? JSONLDWriter.head : Array(TurtleWriter.head.utf8)))
            while true {
                let records = try await catalogue.published(after: after, batch: Self.batch, owners: owners)
                guard let last = records.last else { break }
                after = last.code
                var out: [UInt8] = []
                for record in records {
                    guard let entry = record.published else { continue }
                    let owner =
                        publishers[entry.owner]
                        ?? DCATExport.Publisher(code: entry.owner, nameVi: entry.owner, nameEn: "", national: true)
                    let node = DCATExport.dataset(entry, owner: owner, site: site)
                    Self.write(node, format: format, first: &first, into: &out)
                    codes.append(entry.code)
                }
                try await writer.write(ByteBuffer(bytes: out))
                if records.count < Self.batch { break }
            }
            var out: [UInt8] = []
            Self.write(
                DCATExport.catalogue(site: site, unit: unit, publisher: publisher, datasets: codes), format: format,
                first: &first, into: &out)
            if format == .jsonLD { out += JSONLDWriter.tail }
            try await writer.write(ByteBuffer(bytes: out))
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    static func write(_ node: RDFNode, format: Format, first: inout Bool, into out: inout [UInt8]) {
        switch format {
        case .jsonLD:
            if !first { out += JSONLDWriter.separator }
            JSONLDWriter.write(node, into: &out)
        case .turtle:
            out += Array(TurtleWriter.write(node).utf8)
        }
        first = false
    }
}
