import History
import Hummingbird
import Logging
import Postgres

/// A page that says what happened, in both languages, for a refused or failed request that has
/// no words of its own (a page that does not exist, a form refused at sign-out, the database
/// gone): a blank page tells an officer nothing. Also turns an unexpected error into 503 and logs
/// its kind — never its message, which can quote a value of a record.
struct ErrorPages: RouterMiddleware {
    typealias Context = ConsoleContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError {
            return Self.page(error.status, headers: error.headers)
        } catch {
            let kind = (error as? PostgresError).map { "PostgreSQL \($0.kind)" } ?? "\(type(of: error))"
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(kind)"])
            return Self.page(.serviceUnavailable, headers: [:])
        }
        guard response.status.code >= 400, response.body.contentLength == 0 else { return response }
        return Self.page(response.status, headers: response.headers)
    }

    /// The message for `status`, English then Japanese.
    static func page(_ status: HTTPResponse.Status, headers: HTTPFields) -> Response {
        let key: ConsoleMessage =
            switch status.code {
            case 404: .notFound
            case 403: .csrfRefused
            case 413: .tooLarge
            case 500...: .unavailable
            default: .badRequest
            }
        let english = MessageCatalogue.console(key, .en)
        let japanese = MessageCatalogue.console(key, .ja)
        let html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Bursar</title>
            <link rel="stylesheet" href="/static/console.css"></head>
            <body><main><h1>\(status.code)</h1><p>\(english)</p><p lang="ja">\(japanese)</p>
            <p><a href="/">Bursar</a></p></main></body></html>
            """
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.contentLength] = nil
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}
