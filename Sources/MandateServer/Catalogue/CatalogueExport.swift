import HTTPTypes
import Hummingbird
import Logging
import MandateCore
import MandateStore

#if canImport(Glibc)
    import Glibc
#endif

/// `/open-data/catalogue` (and `/open-data/catalogue/{unit}`): the approved catalogue as DCAT-AP 3,
/// JSON-LD or Turtle by the `Accept` header, or by the `.jsonld` and `.ttl` addresses. The export
/// is written as it is read, a batch of entries at a time, so its memory does not grow with the
/// catalogue.
struct CatalogueExport {
    let catalogue: any CatalogueRepository
    let units: any UnitRepository

    static let batch = 500

    typealias Format = DCATExport.Format

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
        let catalogue = self.catalogue
        let publisher = publisher(head)
        let logger = context.logger
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
            func owner(_ code: String) -> DCATExport.Publisher {
                publishers[code] ?? DCATExport.Publisher(code: code, nameVi: code, nameEn: "", national: true)
            }
            var codes: [String] = []
            var after: String?
            var rendered = 0
            try await writer.write(ByteBuffer(bytes: format.head(base: site + "/")))
            while true {
                let rows = try await catalogue.exportRows(format: format, after: after, batch: Self.batch, owner: unit)
                guard let last = rows.last else { break }
                after = last.code
                var out = ByteBuffer()
                let (renderings, renewed) = try await Self.renderings(
                    rows, format: format, catalogue: catalogue, owner: owner, logger: logger)
                rendered += renewed
                for rendering in renderings {
                    if !codes.isEmpty { out.writeBytes(format.separator) }
                    out.writeBytes(rendering.body)
                    codes.append(rendering.code)
                }
                try await writer.write(out)
                if rows.count < Self.batch { break }
            }
            var out = codes.isEmpty ? [] : format.separator
            out += format.write(DCATExport.catalogue(unit: unit, publisher: publisher, datasets: codes))
            out += format.tail
            try await writer.write(ByteBuffer(bytes: out))
            try await writer.finish(nil)
            // Rendering thousands of databases (after a bulk load) leaves the heap holding what
            // it freed; it goes back to the system rather than staying resident.
            if rendered >= Self.batch { Self.releaseFreedHeap() }
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// The statements of `rows`, in their order: each as kept where it was rendered from the
    /// approved version and the publisher as `owner` now names it, else rendered again (approved
    /// since, its publisher renamed, or never rendered) and kept for the next export. A rendering
    /// that cannot be kept is written all the same.
    static func renderings(
        _ rows: [CatalogueExportRow], format: Format, catalogue: any CatalogueRepository,
        owner: (String) -> DCATExport.Publisher, logger: Logger
    ) async throws -> (written: [DCATExport.Rendering], renewed: Int) {
        let stale = rows.filter { $0.rendering?.publisher != owner($0.owner).mark }
        var renewed: [String: DCATExport.Rendering] = [:]
        if !stale.isEmpty {
            for (code, approved) in try await catalogue.approvedEntries(codes: stale.map(\.code)) {
                renewed[code] = DCATExport.rendering(
                    approved.entry, version: approved.version, owner: owner(approved.entry.owner), as: format)
            }
            do {
                try await catalogue.keep(Array(renewed.values))
            } catch {
                logger.warning("catalogue renderings not kept", metadata: ["error": "\(error)"])
            }
        }
        return (rows.compactMap { renewed[$0.code] ?? $0.rendering }, renewed.count)
    }

    /// glibc's `malloc_trim(0)`, which its module does not declare: found by name, and nothing
    /// where there is no such function.
    static func releaseFreedHeap() {
        #if canImport(Glibc)
            typealias Trim = @convention(c) (Int) -> Int32
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        #endif
    }
}
