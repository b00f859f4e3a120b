/// A signal a loop waits on with a timeout: a NOTIFY, a finished job, or a shutdown wakes it.
actor Wakeup {
    private var pending = false
    private var waiter: CheckedContinuation<Void, Never>?

    /// Wakes the waiter, or the next one to wait if none waits now.
    func signal() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            pending = true
        }
    }

    /// Returns when signalled or after `seconds`, whichever is first.
    func wait(seconds: Double) async {
        if pending { pending = false; return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.park() }
            group.addTask {
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
                if !Task.isCancelled { await self.signal() }
            }
            await group.next()
            group.cancelAll()
        }
        pending = false
    }

    private func park() async {
        if pending { pending = false; return }
        await withCheckedContinuation { waiter = $0 }
    }
}
