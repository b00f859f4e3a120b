import Synchronization

/// A signal a loop waits on with a timeout: a NOTIFY, a finished job, or a shutdown wakes it.
///
/// Cancellation-safe: a waiter whose task is cancelled returns at once, and its timer is
/// cancelled with it, so nothing stays parked. A lock, not an actor: every finished job may
/// signal, and a signal is then a call that returns at once rather than a hop to an actor.
final class Wakeup: Sendable {
    private struct State {
        var pending = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        /// Waits released before they parked (a timer or cancellation that won the race).
        var released: Set<Int> = []
        var active: Set<Int> = []
        var nextID = 0
    }

    private let state = Mutex(State())

    init() {}

    /// Wakes every waiter, or the next one to wait if none waits now.
    func signal() {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if state.waiters.isEmpty {
                state.pending = true
                return []
            }
            let all = Array(state.waiters.values)
            state.waiters.removeAll()
            return all
        }
        for waiter in woken { waiter.resume() }
    }

    /// Returns when signalled, when `timeout` has passed, or when the task is cancelled.
    func wait(timeout: Duration) async {
        let id = state.withLock { state -> Int? in
            if state.pending || Task.isCancelled {
                state.pending = false
                return nil
            }
            state.nextID += 1
            state.active.insert(state.nextID)
            return state.nextID
        }
        guard let id else { return }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            self?.release(id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state -> Bool in
                    if state.released.remove(id) != nil || state.pending || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            self.release(id)
        }
        timer.cancel()
        state.withLock { state in
            state.pending = false
            state.active.remove(id)
            state.released.remove(id)
        }
    }

    private func release(_ id: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
            if state.active.contains(id) { state.released.insert(id) }
            return nil
        }
        waiter?.resume()
    }
}
