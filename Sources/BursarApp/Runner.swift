import ArgumentParser
import Foundation
import Logging
import Store

/// Runs a command body with the database open, turning known errors into messages and exit codes.
enum Runner {
    static func withDatabase<T>(poolSize: Int = 8, requireSchema: Bool = true, _ body: (Database) async throws -> T)
        async throws -> T
    {
        CLI.bootstrapLoggingOnce()
        let database: Database
        do {
            database = try await Database.open(poolSize: poolSize, requireSchema: requireSchema)
        } catch {
            CLI.printError("\(error)")
            throw ExitCode(1)
        }
        do {
            let value = try await body(database)
            await database.close()
            return value
        } catch let exit as ExitCode {
            await database.close()
            throw exit
        } catch {
            await database.close()
            CLI.printError("\(error)")
            throw ExitCode(1)
        }
    }

    /// The program to work on: the one named (with `--program`, or else `BURSAR_PROGRAM`), or
    /// the only one the database knows.
    static func program(_ named: String?, database: Database) async throws -> String {
        if let named = named ?? ProgramOption.environmentDefault { return named }
        let ids = try await ProgramStore(database: database).programIDs()
        if ids.count == 1 { return ids[0] }
        throw BursarError.input(
            "name the program with --program or BURSAR_PROGRAM (known: \(ids.joined(separator: ", ")))")
    }

    /// ``program(_:database:)``, and an error (exit status 1) when the database has no such
    /// program: for reads whose empty answer would hide a misspelt program id.
    static func existingProgram(_ named: String?, database: Database) async throws -> String {
        let program = try await program(named, database: database)
        let ids = try await ProgramStore(database: database).programIDs()
        guard ids.contains(program) else {
            throw BursarError.notFound("no program \(program) (known: \(ids.joined(separator: ", ")))")
        }
        return program
    }
}

extension CLI {
    static let once = OnceFlag()
    static func bootstrapLoggingOnce(level: Logger.Level = .warning) {
        if once.claim() { bootstrapLogging(level: level) }
    }
}

final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if done { return false }
        done = true
        return true
    }
}

/// Prints JSON values built with `JSONWriter`.
func printLine(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
