import Screening

/// English and local names of the countries of the partner lists, for a name that ends with its
/// country ("University of Newcastle, Australia", "Mid-Western University, Nepal"): the country is
/// already the matcher's guard, so naming it again does not make another institution.
enum CountryNames {
    /// Folded names per ISO 3166-1 alpha-2 code (a name may have several words).
    static let names: [String: [[String]]] = {
        let written: [String: [String]] = [
            "AT": ["Austria", "Österreich"], "AU": ["Australia"], "BD": ["Bangladesh"],
            "BE": ["Belgium", "Belgique", "België"],
            "BG": ["Bulgaria"], "BR": ["Brazil", "Brasil"], "BY": ["Belarus"], "CA": ["Canada"],
            "CH": ["Switzerland", "Schweiz", "Suisse"],
            "CL": ["Chile"], "CN": ["China", "PR China", "P.R. China", "People's Republic of China", "PRC"],
            "CU": ["Cuba"],
            "CZ": ["Czech Republic", "Czechia"], "DE": ["Germany", "Deutschland"], "DK": ["Denmark", "Danmark"],
            "EE": ["Estonia"],
            "EG": ["Egypt"], "ES": ["Spain", "España"], "FI": ["Finland", "Suomi"], "FR": ["France"],
            "GB": [
                "United Kingdom", "UK", "U.K.", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland",
            ],
            "GE": ["Georgia"], "GR": ["Greece"], "GU": ["Guam", "USA", "U.S.A.", "United States"],
            "HK": ["Hong Kong", "Hong Kong SAR", "China"],
            "HR": ["Croatia", "Hrvatska"], "HU": ["Hungary", "Magyarország"], "ID": ["Indonesia"], "IN": ["India"],
            "IR": ["Iran"],
            "IS": ["Iceland"], "IT": ["Italy", "Italia"], "KG": ["Kyrgyzstan"],
            "KR": ["Korea", "South Korea", "Republic of Korea", "ROK"],
            "KW": ["Kuwait"], "KZ": ["Kazakhstan"], "LA": ["Laos", "Lao PDR"], "LK": ["Sri Lanka"],
            "LT": ["Lithuania", "Lietuva"],
            "MA": ["Morocco"], "MM": ["Myanmar", "Burma"], "MN": ["Mongolia"], "MX": ["Mexico", "México"],
            "MY": ["Malaysia"],
            "NA": ["Namibia"], "NG": ["Nigeria"], "NL": ["Netherlands", "The Netherlands", "Nederland", "Holland"],
            "NO": ["Norway", "Norge"],
            "NP": ["Nepal"], "NZ": ["New Zealand"], "PH": ["Philippines", "The Philippines"],
            "PL": ["Poland", "Polska"], "PW": ["Palau"],
            "RO": ["Romania"], "RU": ["Russia", "Russian Federation"], "SE": ["Sweden", "Sverige"], "SG": ["Singapore"],
            "SI": ["Slovenia"],
            "TH": ["Thailand"], "TR": ["Turkey", "Türkiye"], "TW": ["Taiwan", "Taiwan ROC", "Republic of China"],
            "UA": ["Ukraine"],
            "US": ["USA", "U.S.A.", "US", "U.S.", "United States", "United States of America"], "UZ": ["Uzbekistan"],
            "VN": ["Vietnam", "Viet Nam"], "ZA": ["South Africa"],
        ]
        return written.mapValues { $0.map(TextFold.words) }
    }()

    /// True when the text is a name of `country`'s country ("Taiwan", "P.R. China").
    static func isName(_ text: String, of country: String) -> Bool {
        let words = TextFold.words(text)
        return (names[country] ?? []).contains(words)
    }

    /// The name without its country at the end, when it ends with the name of `country`'s
    /// country and something is left; nil otherwise.
    static func withoutTrailingCountry(_ text: String, country: String) -> String? {
        let words = TextFold.words(text)
        let candidates = (names[country] ?? []).sorted { $0.count > $1.count }
        for name in candidates where words.count > name.count && Array(words.suffix(name.count)) == name {
            return words.dropLast(name.count).joined(separator: " ")
        }
        return nil
    }
}
