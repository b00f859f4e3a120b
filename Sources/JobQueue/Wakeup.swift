/// A signal a loop waits on with a timeout: a NOTIFY, a finished job, or a shutdown wakes it.
///
/// Cancellation-safe: a waiter whose task is cancelled returns at once, and its timer is
/// cancelled with it, so nothing stays parked.
actor Wakeup {
    private var pending = false
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    /// Waits released before they parked (a timer or cancellation that won the race).
    private var released: Set<Int> = []
    private var active: Set<Int> = []
    private var nextID = 0

    /// Wakes every waiter, or the next one to wait if none waits now.
    func signal() {
        if waiters.isEmpty {
            pending = true
            return
        }
        let all = waiters.values
        waiters.removeAll()
        for waiter in all { waiter.resume() }
    }

    /// Returns when signalled, when `timeout` has passed, or when the task is cancelled.
    func wait(timeout: Duration) async {
        if pending || Task.isCancelled {
            pending = false
            return
        }
        let id = nextID
        nextID += 1
        active.insert(id)
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.release(id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if released.remove(id) != nil || pending || Task.isCancelled {
                    continuation.resume()
                } else {
                    waiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.release(id) }
        }
        timer.cancel()
        pending = false
        active.remove(id)
        released.remove(id)
    }

    private func release(_ id: Int) {
        if let waiter = waiters.removeValue(forKey: id) {
            waiter.resume()
        } else if active.contains(id) {
            released.insert(id)
        }
    }
}
