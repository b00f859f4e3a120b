/// The words of `payments explain` in English and Japanese, one key per message (issue 23). The
/// guideline's own sentences are quoted from it (`ClauseSentences`); everything Bursar says around
/// them is here. Placeholders `{0}`, `{1}` … are filled in order.
public enum Message: String, CaseIterable, Sendable {
    case title, lineStatus, amount
    case statusPaid, statusHeld, statusDue, statusScheduled, statusVoided, statusSuspended, statusOverpaid,
        statusReturned
    case paidByRun, heldBecause, dueBecause, scheduledBecause, voidedBecause, suspendedBecause, overpaidBecause,
        returnedBecause
    case eventsHeading, eventLine, eventAdmitted, eventArrived, eventLeaveStarted, eventLeaveEnded, eventTermination,
        eventDegree
    case eventAcademic, eventOther
    case decisionHeading, decisionLine, decisionVersions, decisionAudit, decisionNoAudit, noAdmittingDecision
    case clausesHeading, clauseHeld, clauseCondition, guidelineSentence, guidelineEnglishOnly, partnerListTitle,
        partnerMatched
    case ruleSetRetired
    case clause1, clause2, clause3, clause4, clause5, clause6, clause7, clause8, clause9
    case clause10a, clause10b, clause10c, clause10d, clause10e, clauseDocuments, clauseDuplicate, clauseOther
}

public enum Language: String, Sendable, CaseIterable {
    case en, ja
}

public enum MessageCatalogue {
    /// The message `key` in `language`, its placeholders filled with `arguments`.
    public static func text(_ key: Message, _ language: Language, _ arguments: String...) -> String {
        format(key, language, arguments)
    }

    /// ``text(_:_:_:)`` with the arguments as an array.
    public static func format(_ key: Message, _ language: Language, _ arguments: [String]) -> String {
        var text = (language == .ja ? japanese : english)[key] ?? key.rawValue
        for (i, argument) in arguments.enumerated() { text = text.replacingOccurrences(of: "{\(i)}", with: argument) }
        return text
    }

    public static let english: [Message: String] = [
        .title: "Stipend of {0} for {1} ({2})",
        .lineStatus: "Status: {0}", .amount: "Amount: {0} yen",
        .statusPaid: "paid", .statusHeld: "held", .statusDue: "due", .statusScheduled: "scheduled",
        .statusVoided: "voided",
        .statusSuspended: "suspended", .statusOverpaid: "overpaid", .statusReturned: "returned",
        .paidByRun: "Paid by payment run {0} (month {1}, run at {2}); bank-transfer file {3}.",
        .heldBecause: "Held: {0}. It is paid by the first run after every flag and hold on the scholarship ends.",
        .dueBecause: "Due: owed, but something it needs is not recorded yet ({0}).",
        .scheduledBecause: "Scheduled: owed by the events below; no payment run has reached this month yet.",
        .voidedBecause: "Voided: not owed on the events as they stand ({0}).",
        .suspendedBecause: "Suspended: the first day of the month falls in a leave of absence ({0}).",
        .overpaidBecause: "Overpaid: paid by run {0}, but later events make the month no longer owed ({1}).",
        .returnedBecause: "Returned by the bank ({0}); paid again after a new account is registered.",
        .eventsHeading: "Events of the scholarship that make the month owed:",
        .eventLine: "  {0} {1}{2}: {3}",
        .eventAdmitted: "the scholarship exists from here",
        .eventArrived: "arrival in Japan: fixes the first payment month",
        .eventLeaveStarted: "leave of absence starts: months from here are suspended",
        .eventLeaveEnded: "leave of absence ends", .eventTermination: "termination: months after it are not owed",
        .eventDegree: "degree awarded: completion", .eventAcademic: "academic report", .eventOther: "recorded",
        .decisionHeading: "The decision that admitted it:",
        .decisionLine: "  decision {0} ({1}), revision {2}, rule set {3}, made {4}",
        .decisionVersions:
            "  program data read: definition v{0}, partner list v{1}, exclusion lists v{2}, duplicate resolutions v{3}",
        .decisionAudit: "  recorded by audit row {0} at {1}",
        .decisionNoAudit: "  (no audit row names this decision: it was made before decisions were audited)",
        .noAdmittingDecision: "No stored decision precedes the admission.",
        .clausesHeading: "The clauses that held:",
        .clauseHeld: "  {0}: {1}", .clauseCondition: "  {0} (holds with a follow-up): {1}",
        .guidelineSentence: "    guideline: “{0}”",
        .guidelineEnglishOnly: "    (the guideline states this clause in English only)",
        .partnerListTitle: "    partner list: {0}", .partnerMatched: "    partner: {0}",
        .ruleSetRetired: "  rule set {0} is retired: this build no longer runs it",
        .clause1: "degree (or its equivalent) and age at enrollment",
        .clause2: "affiliation: a category (a), (b) or (c) holds",
        .clause3: "GPA of 2.30 or above", .clause4: "language ability (Japanese or English)",
        .clause5: "will learn Japanese", .clause6: "intends to work in Tokyo or for its development",
        .clause7: "will join the alumni network", .clause8: "\"Student\" status of residence",
        .clause9: "in good health", .clause10a: "not a Japanese national or resident",
        .clause10b: "not active military",
        .clause10c: "no other scholarship or research fund at enrollment",
        .clause10d: "not previously a MEXT scholar in a master's program",
        .clause10e: "not previously a MEXT scholar in a doctoral program",
        .clauseDocuments: "required document submitted and verified",
        .clauseDuplicate: "no second application of the same person",
        .clauseOther: "clause of the rule set",
    ]

    public static let japanese: [Message: String] = [
        .title: "{1} の {0} 分の奨学金（{2}）",
        .lineStatus: "状態: {0}", .amount: "金額: {0} 円",
        .statusPaid: "支給済", .statusHeld: "保留", .statusDue: "支給待ち", .statusScheduled: "予定", .statusVoided: "無効",
        .statusSuspended: "休止", .statusOverpaid: "過払い", .statusReturned: "組戻し",
        .paidByRun: "支給処理 {0}（{1} 月分、{2} 実行）で支給済。振込ファイル {3}。",
        .heldBecause: "保留: {0}。奨学金のフラグと保留がすべて解除された後の最初の支給処理で支給されます。",
        .dueBecause: "支給待ち: 支給すべき月ですが、必要な記録がまだありません（{0}）。",
        .scheduledBecause: "予定: 下記の事象により支給すべき月です。この月に達した支給処理はまだありません。",
        .voidedBecause: "無効: 現在の事象では支給すべき月ではありません（{0}）。",
        .suspendedBecause: "休止: 月の初日が休学期間に含まれます（{0}）。",
        .overpaidBecause: "過払い: 支給処理 {0} で支給済ですが、その後の事象によりこの月は支給すべき月ではなくなりました（{1}）。",
        .returnedBecause: "銀行から組戻し（{0}）。新しい口座の登録後に改めて支給されます。",
        .eventsHeading: "この月を支給すべき月とした奨学金の事象:",
        .eventLine: "  {0} {1}{2}: {3}",
        .eventAdmitted: "奨学金の開始", .eventArrived: "来日: 最初の支給月が決まる",
        .eventLeaveStarted: "休学開始: 以後の月は休止", .eventLeaveEnded: "休学終了",
        .eventTermination: "支援の打切り: 以後の月は支給しない", .eventDegree: "学位取得: 修了", .eventAcademic: "成績報告",
        .eventOther: "記録",
        .decisionHeading: "採用の根拠となった判定:",
        .decisionLine: "  判定 {0}（{1}）、改訂 {2}、規則 {3}、判定日時 {4}",
        .decisionVersions: "  参照したプログラムデータ: 定義 v{0}、協定校一覧 v{1}、除外リスト v{2}、重複の解決 v{3}",
        .decisionAudit: "  監査記録 {0}（{1}）",
        .decisionNoAudit: "  （この判定を記録した監査記録はありません: 判定の監査記録が始まる前の判定です）",
        .noAdmittingDecision: "採用より前の判定は記録されていません。",
        .clausesHeading: "満たされた要件:",
        .clauseHeld: "  {0}: {1}", .clauseCondition: "  {0}（条件付きで満たす）: {1}",
        .guidelineSentence: "    募集要項: “{0}”",
        .guidelineEnglishOnly: "    （募集要項のこの条項は英語のみで書かれています）",
        .partnerListTitle: "    協定校一覧: {0}", .partnerMatched: "    協定校: {0}",
        .ruleSetRetired: "  規則 {0} は廃止されました: このビルドでは実行できません",
        .clause1: "学位（または同等の資格）と入学時の年齢", .clause2: "所属: (a)(b)(c) のいずれかに該当",
        .clause3: "GPA 2.30 以上", .clause4: "語学力（日本語または英語）",
        .clause5: "日本語を学ぶ意思", .clause6: "東京での就業または東京の発展への貢献の意思",
        .clause7: "同窓ネットワークへの参加", .clause8: "在留資格「留学」",
        .clause9: "健康であること", .clause10a: "日本国籍・日本在住者でないこと", .clause10b: "現役軍人でないこと",
        .clause10c: "入学時に他の奨学金・研究費を受けないこと",
        .clause10d: "修士課程で国費外国人留学生であったことがないこと",
        .clause10e: "博士課程で国費外国人留学生であったことがないこと",
        .clauseDocuments: "必要書類の提出と確認", .clauseDuplicate: "同一人物による重複応募がないこと",
        .clauseOther: "規則の条項",
    ]
}
