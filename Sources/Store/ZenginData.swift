import Banking
import Foundation

/// The Zengin code data file of an installation: the newest `db/zengin/zengin-DATE.tsv`
/// (made by `scripts/zengin-data.py`).
public enum ZenginData {
    /// The codes under `home` (read at each call: a command needs them once).
    public static func codes(home: URL) throws -> ZenginCodes {
        let folder = home.appendingPathComponent("db/zengin")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasPrefix("zengin-") && $0.hasSuffix(".tsv") }.sorted()
        guard let newest = files.last else {
            throw BursarError.setup("no Zengin code data in \(folder.path): run scripts/zengin-data.py (see its help)")
        }
        let path = folder.appendingPathComponent(newest).path
        let date = String(newest.dropFirst("zengin-".count).dropLast(".tsv".count))
        let codes: ZenginCodes
        do {
            codes = try ZenginCodes(text: try String(contentsOfFile: path, encoding: .utf8), date: date)
        } catch let error as ZenginCodes.Failure {
            throw BursarError.setup("\(path): \(error.description)")
        } catch {
            throw BursarError.setup("cannot read the Zengin code data \(path): \(error.localizedDescription)")
        }
        return codes
    }
}
