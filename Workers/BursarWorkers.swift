import JobQueue
import Store

/// Every worker of Bursar, registered by job kind; `bursard` and `bursar drain` run the same set.
public enum BursarWorkers {
    public static func registry(database: Database) -> JobRegistry {
        var registry = JobRegistry()
        // One cache of program definitions and partner matchers for the workers that read them.
        let inputs = ScreeningInputs(database: database)
        registry.register(DocumentsWorker(database: database))
        registry.register(ScreeningWorker(database: database, inputs: inputs))
        registry.register(LifecycleWorker(database: database, inputs: inputs))
        return registry
    }
}
