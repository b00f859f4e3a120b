/// The words of the officers' console (issue 24), beside those of `payments explain`, in the same
/// catalogue: one place for each language's messages. Keys are the names templates use.
public enum ConsoleMessage: String, CaseIterable, Sendable {
    case appName, signIn, signOut, login, password, language, otherLanguage
    case dashboard, queue, applicants, payments, audit
    case decisionsByOutcome, waitingForPerson, paymentRun, queueHealth, oldestWaiting, jobs
    case reviewClauses, uncertainSpellings, duplicatePairs, openFlags, heldPayments
    case reason, confirm, reject, resolve, clear, hold, release, recordEvent, keep, withdraw, partner, candidates
    case applicationsHolding, country, clause, why, applicant, outcome, name, search, searchHint, page, next, previous
    case identity, trace, guideline, earlierDecisions, scholarship, events, paymentLines, auditRows
    case paid, held, due, totals, bankFiles, download, month, yen, status, flag
    case action, officer, since, filter, at, detail, nothing, eventType, eventDate, eventID, retracts
    case eventIDHint, forTermination, terminationReason, creditsCompleted, supportKind, forAcademicReport, term, gpa
    case forRetraction, yes, no
    case wrongPassword, notAnOfficer, serverAskedNoPassword, tooManyAttempts, csrfRefused, reasonRequired, done
    case reasonNotOneLine, reasonTooLong, notFound, tooLarge, badRequest, unavailable
}

extension MessageCatalogue {
    /// The console's message `key` in `language`.
    public static func console(_ key: ConsoleMessage, _ language: Language) -> String {
        (language == .ja ? consoleJapanese : consoleEnglish)[key] ?? key.rawValue
    }

    public static let consoleEnglish: [ConsoleMessage: String] = [
        .appName: "Bursar", .signIn: "Sign in", .signOut: "Sign out", .login: "Login", .password: "Password",
        .language: "Language", .otherLanguage: "日本語", .dashboard: "Dashboard", .queue: "Work queue",
        .applicants: "Applicants", .payments: "Payments", .audit: "Audit trail",
        .decisionsByOutcome: "Decisions by outcome", .waitingForPerson: "Waiting for a person",
        .paymentRun: "This month's payments", .queueHealth: "Job queue", .oldestWaiting: "Oldest waiting (seconds)",
        .jobs: "Jobs", .reviewClauses: "Clauses in review", .uncertainSpellings: "Uncertain spellings",
        .duplicatePairs: "Duplicate pairs", .openFlags: "Open flags", .heldPayments: "Held payments",
        .reason: "Reason", .confirm: "Confirm", .reject: "Reject", .resolve: "Resolve", .clear: "Clear",
        .hold: "Hold payments", .release: "Release", .recordEvent: "Record an event", .keep: "Keep",
        .withdraw: "Withdraw", .partner: "Partner", .candidates: "Candidates",
        .applicationsHolding: "Applications", .country: "Country", .clause: "Clause", .why: "Why",
        .applicant: "Applicant", .outcome: "Outcome", .name: "Name", .search: "Search",
        .searchHint: "Applicant id or name", .page: "Page", .next: "Next", .previous: "Previous",
        .identity: "Identity", .trace: "Decision trace", .guideline: "Guideline",
        .earlierDecisions: "Decisions", .scholarship: "Scholarship", .events: "Events",
        .paymentLines: "Payment lines", .auditRows: "Audit rows", .paid: "Paid", .held: "Held", .due: "Due",
        .totals: "Totals", .bankFiles: "Bank files", .download: "Download", .month: "Month", .yen: "Yen",
        .status: "Status", .flag: "Flag", .action: "Action", .officer: "Officer", .since: "Since",
        .filter: "Filter", .at: "At", .detail: "Detail", .nothing: "Nothing here.", .eventType: "Event type",
        .eventDate: "Date", .eventID: "Event id", .retracts: "Event id it retracts (retraction only)",
        .eventIDHint: "blank: a new one", .forTermination: "For a termination",
        .terminationReason: "Termination reason", .creditsCompleted: "Credits completed (withdrawal)",
        .supportKind: "Support kind (other_support_applied)", .forAcademicReport: "For an academic report",
        .term: "Term", .gpa: "GPA (two decimals)", .forRetraction: "For a retraction (the reason below is its reason)",
        .yes: "Yes", .no: "No",
        .wrongPassword: "Wrong login or password.",
        .notAnOfficer: "This login is not a program officer (not a member of bursar_officer).",
        .serverAskedNoPassword:
            "The database did not ask for a password (trust authentication), so the console cannot check it: "
            + "ask IT to require scram-sha-256 for officer logins.",
        .tooManyAttempts: "Too many sign-in attempts: wait a minute and try again.",
        .csrfRefused: "The form had expired or did not come from this console: nothing was changed.",
        .reasonRequired: "Say why in the reason field: nothing was changed.", .done: "Done.",
        .reasonNotOneLine: "Write the reason on one line, without line breaks or tabs: nothing was changed.",
        .reasonTooLong: "Keep the reason to 2,000 characters: nothing was changed.",
        .notFound: "Nothing here: the page does not exist (check the address, or start from the dashboard).",
        .tooLarge: "What was sent is too large: nothing was changed.",
        .badRequest: "The request could not be read: nothing was changed.",
        .unavailable:
            "The console cannot reach its database just now: nothing was changed. Try again in a minute; "
            + "if it stays, tell IT (the console's log says what failed).",
    ]

    public static let consoleJapanese: [ConsoleMessage: String] = [
        .appName: "Bursar",
        .signIn: "ログイン",
        .signOut: "ログアウト",
        .login: "ログイン名",
        .password: "パスワード",
        .language: "言語",
        .otherLanguage: "English",
        .dashboard: "ダッシュボード",
        .queue: "作業キュー",
        .applicants: "申請者",
        .payments: "支給",
        .audit: "監査記録",
        .decisionsByOutcome: "判定結果の内訳",
        .waitingForPerson: "担当者の確認待ち",
        .paymentRun: "今月の支給",
        .queueHealth: "ジョブキュー",
        .oldestWaiting: "最も古い待ち（秒）",
        .jobs: "ジョブ",
        .reviewClauses: "確認が必要な条項",
        .uncertainSpellings: "不確かな大学名表記",
        .duplicatePairs: "重複の可能性",
        .openFlags: "未解除のフラグ",
        .heldPayments: "保留中の支給",
        .reason: "理由",
        .confirm: "確定",
        .reject: "却下",
        .resolve: "解決",
        .clear: "解除",
        .hold: "支給を保留",
        .release: "保留解除",
        .recordEvent: "イベントを記録",
        .keep: "残す",
        .withdraw: "取り下げ",
        .partner: "協定校",
        .candidates: "候補",
        .applicationsHolding: "申請数",
        .country: "国",
        .clause: "条項",
        .why: "理由",
        .applicant: "申請者",
        .outcome: "結果",
        .name: "氏名",
        .search: "検索",
        .searchHint: "申請者IDまたは氏名",
        .page: "ページ",
        .next: "次へ",
        .previous: "前へ",
        .identity: "本人情報",
        .trace: "判定の経過",
        .guideline: "募集要項",
        .earlierDecisions: "判定履歴",
        .scholarship: "奨学金",
        .events: "イベント",
        .paymentLines: "支給明細",
        .auditRows: "監査記録",
        .paid: "支給済",
        .held: "保留",
        .due: "未払",
        .totals: "合計",
        .bankFiles: "振込ファイル",
        .download: "ダウンロード",
        .month: "月",
        .yen: "円",
        .status: "状態",
        .flag: "フラグ",
        .action: "操作",
        .officer: "担当者",
        .since: "以降",
        .filter: "絞り込み",
        .at: "日時",
        .detail: "詳細",
        .nothing: "該当なし。",
        .eventType: "イベント種別",
        .eventDate: "日付",
        .eventID: "イベントID",
        .retracts: "取り消すイベントID（取消のみ）",
        .eventIDHint: "空欄なら新しいIDを付与",
        .forTermination: "打切りの場合",
        .terminationReason: "打切りの理由",
        .creditsCompleted: "単位修得済（退学の場合）",
        .supportKind: "他の支援の種類（other_support_applied）",
        .forAcademicReport: "成績報告の場合",
        .term: "学期",
        .gpa: "GPA（小数点以下2桁）",
        .forRetraction: "取消の場合（下の理由が取消の理由になります）",
        .yes: "はい",
        .no: "いいえ",
        .wrongPassword: "ログイン名またはパスワードが違います。",
        .notAnOfficer: "このログインは担当者（bursar_officer）ではありません。",
        .serverAskedNoPassword:
            "データベースがパスワードを要求しませんでした（trust 認証）。"
            + "パスワードを確認できないため、"
            + "担当者ログインに scram-sha-256 を設定するよう"
            + "情報システム担当に依頼してください。",
        .tooManyAttempts: "ログインの試行が多すぎます。1分後にもう一度お試しください。",
        .csrfRefused:
            "フォームの有効期限が切れたか、このコンソールからの送信ではありません。"
            + "何も変更していません。",
        .reasonRequired: "理由を入力してください。何も変更していません。",
        .done: "完了しました。",
        .reasonNotOneLine:
            "理由は改行やタブを含まない1行で入力してください。"
            + "何も変更していません。",
        .reasonTooLong: "理由は2,000文字以内で入力してください。何も変更していません。",
        .notFound:
            "ページが見つかりません（アドレスを確認するか、"
            + "ダッシュボードから開いてください）。",
        .tooLarge: "送信された内容が大きすぎます。何も変更していません。",
        .badRequest: "リクエストを読み取れませんでした。何も変更していません。",
        .unavailable:
            "現在コンソールがデータベースに接続できません。何も変更していません。"
            + "しばらくして再度お試しください。"
            + "続く場合は情報システム担当に連絡してください"
            + "（コンソールのログに原因が記録されています）。",
    ]
}
