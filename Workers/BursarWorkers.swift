import JobQueue
import Store

/// Every worker of Bursar, registered by job kind; `bursard` and `bursar drain` run the same set.
public enum BursarWorkers {
    public static func registry(database: Database) -> JobRegistry {
        var registry = JobRegistry()
        registry.register(DocumentsWorker(database: database))
        registry.register(ScreeningWorker(database: database))
        registry.register(LifecycleWorker(database: database))
        registry.register(PaymentsWorker(database: database))
        return registry
    }
}
