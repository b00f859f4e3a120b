/// The console's pages as mustache templates (compiled into the binary, so `.build/release/bursar`
/// and the tests need no resource files). `{{x}}` escapes HTML; no template uses `{{{x}}}`: every
/// value shown — names above all — is text, never markup. `t` holds the words of the page's
/// language (``ConsoleMessage``).
enum Templates {
    static let all: [String: String] = [
        "head": head, "foot": foot, "pager": pager, "login": login, "dashboard": dashboard, "queue": queue,
        "applicants": applicants, "case": caseFile, "payments": payments, "audit": audit, "error": error,
    ]

    static let head = """
        <!DOCTYPE html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · {{t.appName}}</title>
        <link rel="stylesheet" href="/static/console.css">
        </head>
        <body>
        <header>
        <strong>{{t.appName}}</strong>
        {{#officer}}
        <nav>
        <a href="/">{{t.dashboard}}</a> <a href="/queue">{{t.queue}}</a> <a href="/applicants">{{t.applicants}}</a>
        <a href="/payments/{{currentMonth}}">{{t.payments}}</a> <a href="/audit">{{t.audit}}</a>
        </nav>
        {{/officer}}
        <a id="lang-switch" href="/lang/{{otherLang}}?back={{back}}" lang="{{otherLang}}">{{t.otherLanguage}}</a>
        {{#officer}}
        <form id="logout-form" method="post" action="/logout">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <span>{{officer}}</span> <button type="submit">{{t.signOut}}</button>
        </form>
        {{/officer}}
        </header>
        {{#flash}}<p class="flash" id="flash" role="status">{{flash}}</p>{{/flash}}
        """

    static let foot = """
        </body>
        </html>
        """

    static let login = """
        {{> head}}
        <main id="page-login">
        <h1>{{t.signIn}}</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form id="login-form" method="post" action="/login">
        <label>{{t.login}} <input name="login" autocomplete="username" required></label>
        <label>{{t.password}} <input name="password" type="password" autocomplete="current-password" required></label>
        <button type="submit">{{t.signIn}}</button>
        </form>
        </main>
        {{> foot}}
        """

    static let dashboard = """
        {{> head}}
        <main id="page-dashboard">
        <h1>{{t.dashboard}}</h1>
        <section id="dash-outcomes"><h2>{{t.decisionsByOutcome}}</h2>
        <table>{{#outcomes}}<tr><th>{{name}}</th><td class="n">{{count}}</td></tr>{{/outcomes}}</table></section>
        <section id="dash-waiting"><h2>{{t.waitingForPerson}}</h2><ul>
        {{#waiting}}<li><a href="/queue#{{anchor}}">{{label}}</a>: {{count}}</li>{{/waiting}}
        </ul></section>
        <section id="dash-payments"><h2>{{t.paymentRun}} {{currentMonth}}</h2>
        <table>
        <tr><th>{{t.paid}}</th><td class="n">{{month.paidCount}}</td><td class="n">{{month.paidYen}} {{t.yen}}</td></tr>
        <tr><th>{{t.held}}</th><td class="n">{{month.heldCount}}</td><td class="n">{{month.heldYen}} {{t.yen}}</td></tr>
        <tr><th>{{t.due}}</th><td class="n">{{month.dueCount}}</td><td class="n">{{month.dueYen}} {{t.yen}}</td></tr>
        </table></section>
        <section id="dash-queue"><h2>{{t.queueHealth}}</h2>
        <table>{{#jobs}}<tr><th>{{name}}</th><td class="n">{{count}}</td></tr>{{/jobs}}
        <tr><th>{{t.oldestWaiting}}</th><td class="n">{{oldestWaiting}}</td></tr></table></section>
        </main>
        {{> foot}}
        """

    /// The reason field and CSRF token every action form carries.
    private static let reasonField = """
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.reason}} <input name="reason" required></label>
        """

    static let queue = """
        {{> head}}
        <main id="page-queue">
        <h1>{{t.queue}}</h1>
        <section id="queue-review"><h2>{{t.reviewClauses}}</h2>
        {{^review}}<p>{{t.nothing}}</p>{{/review}}
        <ul>{{#review}}<li class="item"><a href="/applicants/{{applicantID}}">{{applicantID}}</a>
        <ul>{{#clauses}}<li><b>{{clause}}</b>: {{why}}</li>{{/clauses}}</ul></li>{{/review}}</ul>
        </section>
        <section id="queue-spellings"><h2>{{t.uncertainSpellings}}</h2>
        {{^spellings}}<p>{{t.nothing}}</p>{{/spellings}}
        {{#spellings}}<div class="item">
        <p><b class="spelling">{{spelling}}</b> ({{country}}) — {{t.applicationsHolding}}: {{applications}}</p>
        <form id="action-spelling-confirm" method="post" action="/actions/spelling/confirm">
        <input type="hidden" name="spelling" value="{{spelling}}">
        <label>{{t.partner}} <select name="partner">
        {{#candidates}}<option>{{.}}</option>{{/candidates}}</select></label>
        \(reasonField)
        <button type="submit">{{t.confirm}}</button>
        </form>
        <form id="action-spelling-reject" method="post" action="/actions/spelling/reject">
        <input type="hidden" name="spelling" value="{{spelling}}">
        \(reasonField)
        <button type="submit">{{t.reject}}</button>
        </form>
        </div>{{/spellings}}
        </section>
        <section id="queue-duplicates"><h2>{{t.duplicatePairs}}</h2>
        {{^duplicates}}<p>{{t.nothing}}</p>{{/duplicates}}
        {{#duplicates}}<div class="item">
        <p><a href="/applicants/{{drop}}">{{drop}}</a> ↔ <a href="/applicants/{{keep}}">{{keep}}</a></p>
        <form id="action-duplicates-resolve" method="post" action="/actions/duplicates/resolve">
        <input type="hidden" name="drop" value="{{drop}}"><input type="hidden" name="keep" value="{{keep}}">
        \(reasonField)
        <button type="submit">{{t.withdraw}} {{drop}}, {{t.keep}} {{keep}}</button>
        </form></div>{{/duplicates}}
        </section>
        <section id="queue-flags"><h2>{{t.openFlags}}</h2>
        {{^flags}}<p>{{t.nothing}}</p>{{/flags}}
        {{#flags}}<div class="item">
        <p><a href="/applicants/{{applicantID}}">{{applicantID}}</a>: {{flag}} {{month}}</p>
        <form id="action-flags-clear" method="post" action="/actions/flags/clear">
        <input type="hidden" name="applicant" value="{{applicantID}}"><input type="hidden" name="flag" value="{{flag}}">
        \(reasonField)
        <button type="submit">{{t.clear}}</button>
        </form></div>{{/flags}}
        </section>
        <section id="queue-holds"><h2>{{t.heldPayments}}</h2>
        {{^holds}}<p>{{t.nothing}}</p>{{/holds}}
        {{#holds}}<div class="item">
        <p><a href="/applicants/{{applicantID}}">{{applicantID}}</a> {{month}} {{yen}} {{t.yen}}: {{reason}}</p>
        {{#officerHold}}<form id="action-payments-release" method="post" action="/actions/payments/release">
        <input type="hidden" name="applicant" value="{{applicantID}}">
        \(reasonField)
        <button type="submit">{{t.release}}</button>
        </form>{{/officerHold}}</div>{{/holds}}
        </section>
        {{> pager}}
        </main>
        {{> foot}}
        """

    /// Previous and next links of a paged list (`pageBase`: its address up to `page=`).
    static let pager = """
        <nav class="pages">{{#previous}}<a href="{{pageBase}}page={{previous}}">{{t.previous}}</a>{{/previous}}
        {{#next}}<a href="{{pageBase}}page={{next}}">{{t.next}}</a>{{/next}}</nav>
        """

    static let applicants = """
        {{> head}}
        <main id="page-applicants">
        <h1>{{t.applicants}}</h1>
        <form id="search-form" method="post" action="/applicants/search">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.searchHint}} <input name="q" value="{{query}}"></label>
        <button type="submit">{{t.search}}</button>
        </form>
        <div class="wide"><table id="applicants-list">
        <tr><th>{{t.applicant}}</th><th>{{t.name}}</th><th>{{t.outcome}}</th></tr>
        {{#rows}}<tr><td><a href="/applicants/{{applicantID}}">{{applicantID}}</a></td>
        <td>{{familyName}} {{givenName}}</td><td>{{outcome}}</td></tr>{{/rows}}
        </table></div>
        {{^rows}}<p>{{t.nothing}}</p>{{/rows}}
        {{> pager}}
        </main>
        {{> foot}}
        """

    static let caseFile = """
        {{> head}}
        <main id="page-case">
        <h1>{{applicantID}}</h1>
        <section id="case-identity"><h2>{{t.identity}}</h2>
        <p class="name">{{familyName}} {{givenName}}</p></section>
        <section id="case-trace"><h2>{{t.trace}}</h2>
        <p>{{t.outcome}}: <b class="outcome">{{outcome}}</b></p>
        <div class="wide"><table>
        <tr><th>{{t.clause}}</th><th>{{t.status}}</th><th>{{t.why}}</th><th>{{t.guideline}}</th></tr>
        {{#clauses}}<tr><td>{{id}}</td><td>{{status}}</td><td>{{explanation}}</td><td>{{sentence}}</td></tr>{{/clauses}}
        </table></div></section>
        <section id="case-decisions"><h2>{{t.earlierDecisions}}</h2>
        <ol>
        {{#decisions}}<li class="decision">#{{id}} r{{revision}} <b>{{outcome}}</b> {{decidedAt}}</li>{{/decisions}}
        </ol>
        </section>
        <section id="case-scholarship"><h2>{{t.scholarship}}</h2>
        {{^events}}{{^lines}}<p>{{t.nothing}}</p>{{/lines}}{{/events}}
        {{#flags}}<p>{{t.flag}}: {{.}}</p>{{/flags}}
        <h3>{{t.events}}</h3>
        <ul id="case-events">
        {{#events}}<li>{{date}} {{type}} {{eventID}} <b>{{status}}</b> {{effect}}</li>{{/events}}</ul>
        <h3>{{t.paymentLines}}</h3>
        <div class="wide"><table>{{#lines}}<tr><td>{{month}}</td><td>{{status}}</td><td class="n">{{yen}}</td>
        <td>{{reason}}</td></tr>{{/lines}}</table></div>
        <form id="action-payments-hold" method="post" action="/actions/payments/hold">
        <input type="hidden" name="applicant" value="{{applicantID}}">
        \(reasonField)
        <button type="submit">{{t.hold}}</button>
        </form>
        \(eventForm)
        </section>
        <section id="case-audit"><h2>{{t.auditRows}}</h2>
        <ul>{{#audit}}<li>{{at}} <b>{{action}}</b> {{role}}: {{reason}}</li>{{/audit}}</ul>
        </section>
        </main>
        {{> foot}}
        """

    /// The case page's form for a lifecycle event (interface §3): every type's fields at once,
    /// usable without JavaScript; the fields of other types are ignored.
    private static let eventForm = """
        <form id="action-events" method="post" action="/actions/events">
        <h3>{{t.recordEvent}}</h3>
        <input type="hidden" name="applicant" value="{{applicantID}}">
        <label>{{t.eventType}}
        <select name="type">{{#eventTypes}}<option>{{.}}</option>{{/eventTypes}}</select></label>
        <label>{{t.eventDate}} <input name="date" type="date"></label>
        <label>{{t.eventID}} <input name="event_id" placeholder="{{t.eventIDHint}}"></label>
        <fieldset><legend>{{t.forTermination}}</legend>
        <label>{{t.terminationReason}} <select name="termination"><option value=""></option>
        {{#terminationReasons}}<option>{{.}}</option>{{/terminationReasons}}</select></label>
        <label>{{t.detail}} <input name="detail"></label>
        <label>{{t.creditsCompleted}} <select name="credits_completed"><option value=""></option>
        <option value="true">{{t.yes}}</option><option value="false">{{t.no}}</option></select></label>
        <label>{{t.supportKind}} <select name="support_kind"><option value=""></option>
        {{#supportKinds}}<option>{{.}}</option>{{/supportKinds}}</select></label>
        </fieldset>
        <fieldset><legend>{{t.forAcademicReport}}</legend>
        <label>{{t.term}} <input name="term" placeholder="2026-1"></label>
        <label>{{t.gpa}} <input name="gpa" placeholder="2.50"></label>
        </fieldset>
        <fieldset><legend>{{t.forRetraction}}</legend>
        <label>{{t.retracts}} <select name="retracts"><option value=""></option>
        {{#retractable}}<option>{{.}}</option>{{/retractable}}</select></label>
        </fieldset>
        \(reasonField)
        <button type="submit">{{t.recordEvent}}</button>
        </form>
        """

    static let payments = """
        {{> head}}
        <main id="page-payments">
        <h1>{{t.payments}} {{month}}</h1>
        <section id="payments-totals"><h2>{{t.totals}}</h2><table>
        <tr><th>{{t.paid}}</th><td class="n">{{paidCount}}</td><td class="n">{{paidYen}} {{t.yen}}</td></tr>
        <tr><th>{{t.held}}</th><td class="n">{{heldCount}}</td><td class="n">{{heldYen}} {{t.yen}}</td></tr>
        <tr><th>{{t.due}}</th><td class="n">{{dueCount}}</td><td class="n">{{dueYen}} {{t.yen}}</td></tr>
        </table></section>
        <section id="payments-paid"><h2>{{t.paid}}</h2><div class="wide"><table>
        {{#paid}}<tr><td><a href="/applicants/{{applicantID}}">{{applicantID}}</a></td><td>{{month}}</td>
        <td class="n">{{yen}}</td></tr>{{/paid}}</table></div></section>
        <section id="payments-held"><h2>{{t.held}}</h2><div class="wide"><table>
        {{#held}}<tr><td><a href="/applicants/{{applicantID}}">{{applicantID}}</a></td><td>{{month}}</td>
        <td class="n">{{yen}}</td><td>{{reason}}</td></tr>{{/held}}</table></div></section>
        <section id="payments-due"><h2>{{t.due}}</h2><div class="wide"><table>
        {{#due}}<tr><td><a href="/applicants/{{applicantID}}">{{applicantID}}</a></td><td>{{month}}</td>
        <td class="n">{{yen}}</td><td>{{reason}}</td></tr>{{/due}}</table></div></section>
        {{> pager}}
        <section id="payments-files"><h2>{{t.bankFiles}}</h2><ul>
        {{#files}}<li><a href="/payments/{{month}}/files/{{runID}}">{{t.download}} {{file}}</a></li>{{/files}}
        </ul></section>
        </main>
        {{> foot}}
        """

    static let audit = """
        {{> head}}
        <main id="page-audit">
        <h1>{{t.audit}}</h1>
        <form id="audit-filter" method="get" action="/audit">
        <label>{{t.applicant}} <input name="applicant" value="{{filter.applicant}}"></label>
        <label>{{t.action}} <input name="action" value="{{filter.action}}"></label>
        <label>{{t.officer}} <input name="officer" value="{{filter.officer}}"></label>
        <label>{{t.since}} <input name="since" type="date" value="{{filter.since}}"></label>
        <button type="submit">{{t.filter}}</button>
        </form>
        <div class="wide"><table id="audit-rows">
        <tr><th>{{t.at}}</th><th>{{t.action}}</th><th>{{t.applicant}}</th><th>{{t.officer}}</th><th>{{t.reason}}</th>
        <th>{{t.detail}}</th></tr>
        {{#rows}}<tr><td>{{at}}</td><td>{{action}}</td><td>{{applicantID}}</td><td>{{role}}</td><td>{{reason}}</td>
        <td>{{detail}}</td></tr>{{/rows}}
        </table></div>
        {{> pager}}
        </main>
        {{> foot}}
        """

    static let error = """
        {{> head}}
        <main id="page-error"><h1>{{title}}</h1><p>{{message}}</p></main>
        {{> foot}}
        """

    /// The one stylesheet: fluid, readable on a phone; wide tables scroll inside their box.
    static let stylesheet = """
        body{font-family:system-ui,sans-serif;margin:0;padding:0 1rem 2rem;line-height:1.4;max-width:72rem}
        header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.5rem 0;
        border-bottom:1px solid #ccc}
        nav a{margin-right:.6rem}form{margin:.4rem 0}label{display:inline-block;margin:.2rem .5rem .2rem 0}
        input,select,button{font:inherit;max-width:100%}.item{border-bottom:1px solid #eee;padding:.4rem 0}
        .wide{overflow-x:auto;max-width:100%}table{border-collapse:collapse}td,th{padding:.2rem .5rem;text-align:left}
        td.n{text-align:right}.flash{background:#eef6ee;padding:.5rem}.error{color:#a00}
        main{overflow-wrap:anywhere}
        """
}
