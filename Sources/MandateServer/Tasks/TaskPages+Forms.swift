import Foundation
import Hummingbird
import MandateCore
import MandateStore

/// The task page's forms: each runs its write through `TaskService`, then comes back to the page.
extension TaskPages {
    @Sendable func recordProgress(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let code = try context.parameters.require("code")
        let fields = FormFields(body: try await request.collectBody(upTo: 256 * 1024))
        return try await act(request, context, task: code, done: "progress") { authenticated in
            let (percent, narrative, links) = try Self.progress(fields)
            _ = try await service.recordProgress(
                ProgressInput(unit: fields["unit"] ?? "", percent: percent, narrative: narrative, links: links),
                on: code, authenticated.caller)
        }
    }

    /// A report form's percent, narrative and links (one per line).
    static func progress(_ fields: FormFields) throws -> (percent: Int, narrative: String, links: [String]) {
        guard let percent = Int((fields["percent"] ?? "").trimmingWhitespace()) else {
            throw ValidationFailure(field: "percent", reason: "a percent is a whole number from 0 to 100")
        }
        let links = (fields["links"] ?? "").split(whereSeparator: \.isNewline).map(String.init)
        return (percent, fields["narrative"] ?? "", links)
    }

    @Sendable func attach(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let code = try context.parameters.require("code")
        let id = try context.parameters.require("id")
        guard let boundary = MultipartForm.boundary(of: request.headers[.contentType]) else {
            throw AppError.badRequest(field: "file", "send the file as multipart/form-data")
        }
        let body = try await request.collectBody(upTo: AuthenticationMiddleware.maximumUpload)
        guard let form = MultipartForm(body: body, boundary: boundary),
            let file = form.files.first(where: { $0.name == "file" })
        else { throw AppError.badRequest(field: "file", "the form has no file") }
        return try await act(request, context, task: code, done: "file") { authenticated in
            _ = try await service.attach(file.content, name: file.filename, to: id, authenticated.caller)
        }
    }

    @Sendable func editReport(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let code = try context.parameters.require("code")
        let id = try context.parameters.require("id")
        let fields = FormFields(body: try await request.collectBody(upTo: 256 * 1024))
        return try await act(request, context, task: code, done: "edited") { authenticated in
            let (percent, narrative, links) = try Self.progress(fields)
            _ = try await service.editReport(
                id, ReportEdit(percent: percent, narrative: narrative, links: links), authenticated.caller)
        }
    }

    /// Takes back a draft report, once the form's box saying so is ticked.
    @Sendable func withdrawReport(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let code = try context.parameters.require("code")
        let id = try context.parameters.require("id")
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        return try await act(request, context, task: code, done: "withdrawn") { authenticated in
            guard fields["confirmed"] == "yes" else {
                throw ValidationFailure(field: "confirmed", reason: "tick the box to confirm the withdrawal")
            }
            try await service.withdrawReport(id, authenticated.caller)
        }
    }

    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        let id = try context.parameters.require("id")
        return try await act(request, context, task: code, done: "submitted") { authenticated in
            _ = try await service.submit(id, authenticated.caller)
        }
    }

    @Sendable func decide(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let code = try context.parameters.require("code")
        let id = try context.parameters.require("id")
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        let accept = fields["decision"] == "accept"
        return try await act(request, context, task: code, done: accept ? "accepted" : "returned") { authenticated in
            guard ["accept", "return"].contains(fields["decision"] ?? "") else {
                throw ValidationFailure(field: "decision", reason: "choose accept or return")
            }
            _ = try await service.decide(id, accept: accept, comment: fields["comment"], authenticated.caller)
        }
    }

    @Sendable func requestExtension(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let code = try context.parameters.require("code")
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        return try await act(request, context, task: code, done: "extension") { authenticated in
            _ = try await service.requestExtension(
                ExtensionInput(deadline: fields["deadline"] ?? "", reason: fields["reason"] ?? ""), on: code,
                authenticated.caller)
        }
    }

    @Sendable func decideExtension(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let code = try context.parameters.require("code")
        let id = try context.parameters.require("id")
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        let grant = fields["decision"] == "grant"
        return try await act(request, context, task: code, done: grant ? "granted" : "refused") { authenticated in
            guard ["grant", "refuse"].contains(fields["decision"] ?? "") else {
                throw ValidationFailure(field: "decision", reason: "choose grant or refuse")
            }
            _ = try await service.decideExtension(id, grant: grant, comment: fields["comment"], authenticated.caller)
        }
    }

    /// The decisions on the task itself: the lead unit head's sign-off of a proposal, the
    /// committee's adoption of it, or cancelling.
    @Sendable func decideTask(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let code = try context.parameters.require("code")
        let fields = FormFields(body: try await request.collectBody(upTo: 64 * 1024))
        let decision = fields["decision"] ?? ""
        let done = ["sign_off": "signedOff", "adopt": "adopted"][decision] ?? "cancelled"
        return try await act(request, context, task: code, done: done) { authenticated in
            switch decision {
            case "sign_off": _ = try await service.signOff(code, authenticated.caller)
            case "adopt": _ = try await service.adopt(code, authenticated.caller)
            case "cancel": _ = try await service.cancel(code, reason: fields["reason"] ?? "", authenticated.caller)
            default: throw ValidationFailure(field: "decision", reason: "choose sign_off, adopt or cancel")
            }
        }
    }
}
