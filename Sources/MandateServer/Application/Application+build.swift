import Foundation
import Hummingbird
import Logging
import MandateCore
import MandateStore
import ServiceLifecycle

/// Everything the routes are built from.
public struct Dependencies: Sendable {
    public let store: Store
    public let pages: PageRenderer
    public let metrics: HTTPMetrics
    public let openAPIDocument: Data
    public let hasher: PasswordHasher
    public let demo: Bool
    public let secureCookies: Bool
    /// Client addresses `/metrics` answers without credentials.
    public var metricsFrom: Set<String> = ["127.0.0.1", "::1"]
    /// How many ratings citizens may send, from one client, for one unit and in all.
    public var feedbackLimits = FeedbackLimits.standard
    /// The store's clock (see `AppClock`).
    public var clock: AppClock { store.clock }
    let logIdentity: LogIdentityHolder
    /// Publishes newly logged facts to `/api/v1/events`; run as a service by `buildApplication`.
    let liveEvents: LiveEvents
    /// The folder of static files (stylesheet, script), served under `/static`.
    let publicFolder: String
    /// Public answers kept in front of the router (`EdgeCacheHandler` serves them), for a
    /// minute at most, or the public answers' lifetime if longer.
    let edge: EdgeCache
    /// How long public reference answers may be kept.
    let publicAnswerLifetime: Duration
    /// The `Server` header every answer carries.
    static let serverName = "Mandate"

    public init(
        store: Store, pages: PageRenderer, metrics: HTTPMetrics, openAPIDocument: Data, hasher: PasswordHasher,
        demo: Bool, secureCookies: Bool, publicAnswerLifetime: Duration = .seconds(5)
    ) {
        self.publicAnswerLifetime = publicAnswerLifetime
        let edge = EdgeCache(
            maximumLifetime: max(.seconds(60), publicAnswerLifetime), keptAnswerLifetime: publicAnswerLifetime)
        store.database.commits.add { edge.invalidate($0) }
        self.edge = edge
        self.store = store
        self.pages = pages
        self.metrics = metrics
        self.openAPIDocument = openAPIDocument
        self.hasher = hasher
        self.demo = demo
        self.secureCookies = secureCookies
        let clock = store.clock
        self.logIdentity = LogIdentityHolder()
        let tasks = store.tasks
        self.liveEvents = LiveEvents(
            log: store.log, logger: Logger(label: "mandate.events"), wakeups: store.database.logWakeups.updates(),
            overdueOn: { try await LiveEvents.tasksOverdue(since: $0, in: tasks) }, today: { clock.today() })
        self.publicFolder = (try? ServerResources.path("public").path) ?? "public"
    }

    /// The OpenAPI document shipped with the server.
    public static func loadOpenAPIDocument() throws -> Data {
        try Data(contentsOf: try ServerResources.path("openapi", "json"))
    }
}

/// Builds the router: middleware, API, pages and static files. Returns the API operations it registered.
public func buildRouter(_ dependencies: Dependencies) -> (router: Router<AppRequestContext>, operations: [APIOperation])
{
    let store = dependencies.store
    let router = Router(context: AppRequestContext.self)
    let accounts = AccountService(
        accounts: store.accounts, settings: store.settings, hasher: dependencies.hasher, clock: store.clock,
        demo: dependencies.demo)
    let access = AccessGuard(units: store.units, audit: store.audit, clock: store.clock)
    let cookies = SessionCookies(alwaysSecure: dependencies.secureCookies)
    let publicReads = PublicReads()
    let knownOperations = KnownOperations()

    router.addMiddleware {
        CompressionMiddleware()
        EdgeCacheMiddleware(
            edge: dependencies.edge, serverName: Dependencies.serverName, alwaysSecure: dependencies.secureCookies)
        RequestIDMiddleware()
        RequestLogMiddleware(level: .info)
        MetricsMiddleware(metrics: dependencies.metrics)
        SharedRenderMiddleware(renders: SharedRenders(), edge: dependencies.edge)
        SecurityHeadersMiddleware(alwaysSecure: dependencies.secureCookies)
        LanguageMiddleware()
        ErrorMiddleware(pages: dependencies.pages)
        APIOperationsMiddleware(operations: knownOperations)
        AuthenticationMiddleware(accounts: accounts, publicReads: publicReads, cookies: cookies)
        AuditMiddleware(audit: store.audit)
        ConditionalGetMiddleware()
    }
    router.add(
        middleware: FileMiddleware(
            dependencies.publicFolder, urlBasePath: "/static",
            cacheControl: .init([(MediaType(type: .any), [.maxAge(3600)])]),
            logger: Logger(label: "mandate.files")))

    var routes = APIRoutes(router: router, publicReads: publicReads)
    SystemController(
        database: store.database, metrics: dependencies.metrics, openAPIDocument: dependencies.openAPIDocument,
        metricsFrom: dependencies.metricsFrom
    )
    .register(on: &routes)
    let partners = PartnerService(units: store.units, access: access)
    UnitsController(
        units: store.units,
        cache: ResponseCache(lifetime: dependencies.publicAnswerLifetime, commits: store.database.commits),
        partners: partners
    ).register(on: &routes)
    SessionController(accounts: accounts, cookies: cookies).register(on: &routes)
    TokensController(accounts: accounts, repository: store.accounts, access: access, clock: store.clock).register(
        on: &routes)
    UsersController(accounts: accounts, repository: store.accounts, access: access).register(on: &routes)
    AuditController(audit: store.audit).register(on: &routes)
    let valueService = ValueService(
        values: store.values, indicators: store.indicators, units: store.units, access: access, clock: store.clock)
    IndicatorsController(service: valueService).register(on: &routes)
    DataValuesController(service: valueService).register(on: &routes)
    ValidationRulesController(service: valueService).register(on: &routes)
    EventsController(events: dependencies.liveEvents).register(on: &routes)
    let taskService = TaskService(
        tasks: store.tasks, units: store.units, indicators: store.indicators, access: access,
        clock: dependencies.clock, views: TaskViewCache(tasks: store.tasks), importer: TaskImporter(store: store))
    TasksController(service: taskService).register(on: &routes)
    TransparencyLogController(
        log: store.log, identity: dependencies.logIdentity, values: store.values, indicators: store.indicators,
        tasks: store.tasks, rankings: store.rankings, feedback: store.feedback
    ).register(on: &routes)
    let clock = dependencies.clock
    let rankingComputer = store.rankingComputer(today: { clock.today() })
    let rankingCache = ResponseCache(lifetime: dependencies.publicAnswerLifetime, commits: store.database.commits)
    let rankingService = RankingService(
        rankings: store.rankings, computer: rankingComputer, cache: rankingCache, units: store.units, access: access,
        clock: store.clock)
    RankingsController(service: rankingService).register(on: &routes)
    let feedback = FeedbackService(
        feedback: store.feedback, units: store.units, tasks: store.tasks, clock: dependencies.clock,
        throttle: FeedbackThrottle(limits: dependencies.feedbackLimits), access: access)
    FeedbackController(service: feedback).register(on: &routes)
    let catalogue = CatalogueService(
        catalogue: store.catalogue, units: store.units, access: access, clock: dependencies.clock,
        completions: CatalogueCompletions(catalogue: store.catalogue, units: store.units, settings: store.settings),
        kept: KeptParts(lifetime: dependencies.publicAnswerLifetime, capacity: 4, commits: store.database.commits))
    CatalogueController(service: catalogue).register(on: &routes)

    let portal = PortalPages(
        store: store, service: taskService, pages: dependencies.pages,
        board: SeriesBoard(lifetime: dependencies.publicAnswerLifetime, commits: store.database.commits),
        parts: KeptParts(lifetime: dependencies.publicAnswerLifetime, commits: store.database.commits))
    DirectoryPages(
        units: store.units, pages: dependencies.pages, portal: portal, partners: partners, feedback: feedback,
        catalogue: catalogue
    ).register(on: router)
    EntryPages(service: valueService, pages: dependencies.pages).register(on: router)
    IndicatorFormPages(service: valueService, pages: dependencies.pages).register(on: router)
    WorkPages(values: valueService, tasks: taskService, feedback: feedback, pages: dependencies.pages).register(
        on: router)
    TaskPages(service: taskService, accounts: store.accounts, rankings: store.rankings, pages: dependencies.pages)
        .register(on: router)
    HelpPages(pages: dependencies.pages).register(on: router)
    FeedbackPages(
        service: feedback, units: store.units, tasks: store.tasks, pages: dependencies.pages, cookies: cookies
    ).register(on: router)
    portal.register(on: router)
    CatalogueExport(catalogue: store.catalogue, units: store.units).register(on: router)
    CataloguePages(service: catalogue, pages: dependencies.pages).register(on: router)
    OpenDataPages(store: store, service: taskService, pages: dependencies.pages).register(on: router)
    TransparencyPages(
        log: store.log, identity: dependencies.logIdentity, units: store.units, indicators: store.indicators,
        pages: dependencies.pages
    ).register(on: router)
    UnitAccountsPages(accounts: accounts, access: access, units: store.units, pages: dependencies.pages).register(
        on: router)
    PasswordResetPages(accounts: accounts, pages: dependencies.pages, cookies: cookies).register(on: router)
    AccountPages(accounts: accounts, access: access, pages: dependencies.pages, cookies: cookies).register(on: router)
    AuthPages(accounts: accounts, pages: dependencies.pages, cookies: cookies, demo: dependencies.demo).register(
        on: router)
    RankingPages(service: rankingService, pages: dependencies.pages).register(on: router)
    knownOperations.add(routes.operations)
    return (router, routes.operations)
}

/// The catalogue's link probe, once the database is prepared, if `policy` asks for one.
func linkProber(_ policy: LinkProbePolicy?, store: Store, prepared: LogIdentityHolder, logger: Logger) -> [any Service]
{
    guard let policy else { return [] }
    return [
        OncePrepared(
            service: LinkProber(catalogue: store.catalogue, clock: store.clock, policy: policy, logger: logger),
            prepared: prepared)
    ]
}

/// Builds the whole application: opens and prepares the database, then the router and services.
public func buildApplication(_ arguments: some AppArguments) async throws -> some ApplicationProtocol {
    try await buildApplication(arguments) { _ in }
}

/// The same, showing `inspect` what the routes are built from (tests watch the edge through it).
/// `open` opens the database `arguments` names (tests give one they have filled beforehand).
func buildApplication(
    _ arguments: some AppArguments,
    open: @Sendable (DatabaseURL, AppClock, Logger) async throws -> OpenedDatabase = {
        try await DatabaseConnector.open($0, clock: $1, logger: $2)
    },
    inspect: (Dependencies) -> Void
) async throws -> some ApplicationProtocol {
    let logger = {
        var logger = Logger(label: "mandate")
        logger.logLevel = arguments.logLevel
        return logger
    }()
    let opened = try await open(arguments.database, arguments.clock, logger)
    let store = Store(database: opened.database)
    var dependencies = Dependencies(
        store: store, pages: try await PageRenderer.load(), metrics: HTTPMetrics(),
        openAPIDocument: try Dependencies.loadOpenAPIDocument(), hasher: PasswordHasher(cost: arguments.bcryptCost),
        demo: arguments.demo, secureCookies: arguments.secureCookies,
        publicAnswerLifetime: arguments.publicAnswerLifetime)
    dependencies.metricsFrom = Set(arguments.metricsFrom)
    dependencies.feedbackLimits = arguments.feedbackLimits
    inspect(dependencies)
    let (router, _) = buildRouter(dependencies)
    let demo = arguments.demo
    let logOrigin = arguments.logOrigin
    let edge = dependencies.edge
    let metrics = dependencies.metrics
    let dates = HTTPDates()
    var app = Application(
        responder: HeadResponder(inner: router.buildResponder()),
        server: .http1(
            edge: { EdgeCacheHandler(edge: edge, metrics: metrics, logger: logger, dates: dates) },
            connections: arguments.connections, trustedProxies: Set(arguments.trustedProxies)),
        configuration: .init(
            address: .hostname(arguments.hostname, port: arguments.port), serverName: Dependencies.serverName,
            // Connections the kernel queues before they are accepted (Hummingbird's default is 256):
            // a burst beyond it has its first packets dropped and waits a second for a retry.
            backlog: 1024),
        services: opened.services + [
            DatabaseCloser(database: opened.database),
            OncePrepared(
                service: SessionSweeper(accounts: store.accounts, clock: store.clock, logger: logger),
                prepared: dependencies.logIdentity),
            LogCheckpointer(log: store.log, identity: dependencies.logIdentity, clock: store.clock, logger: logger),
            OncePrepared(service: dependencies.liveEvents, prepared: dependencies.logIdentity),
        ] + linkProber(arguments.linkProbes, store: store, prepared: dependencies.logIdentity, logger: logger)
            + logRelay(opened.database, logger: logger),
        onServerRunning: { channel in
            let address =
                channel.localAddress.map { "http://\($0.ipAddress ?? arguments.hostname):\($0.port ?? arguments.port)" }
                ?? ""
            logger.info("Mandate is serving", metadata: ["address": "\(address)", "database": "\(arguments.database)"])
            print("Mandate is serving \(address)")
            if demo {
                print(
                    "Sign in at \(address)/login as admin@demo.mandate.vn with the demo password \"\(DemoAccounts.password)\" (illustrative demo accounts)."
                )
            }
        },
        logger: logger
    )
    // Migrations run once the database's own services (the PostgreSQL pool) are running.
    let logIdentity = dependencies.logIdentity
    app.beforeServerStarts {
        try await store.prepare(demo: demo, logger: logger)
        try await logIdentity.load(settings: store.settings, origin: logOrigin)
    }
    return app
}

/// On PostgreSQL, the service that relays other instances' log appends to this one's live events.
private func logRelay(_ database: any MandateDatabase, logger: Logger) -> [any Service] {
    guard let postgres = database as? PostgresStoreDatabase else { return [] }
    return [LogNotificationRelay(database: postgres, logger: logger)]
}
