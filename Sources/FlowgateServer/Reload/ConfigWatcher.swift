import FlowgateCore
import ServiceLifecycle
import UnixSignals

/// Starts reloads: on `SIGHUP`, and when the config file or any `${file:…}` secret it names changes.
///
/// Files are polled (by content, following symlinks, so a Kubernetes ConfigMap or Secret update —
/// which swaps a symlink — counts) every `interval`, and a change is applied once the files have stayed
/// the same for one more interval: an editor's or a deploy tool's several writes make one reload.
struct ConfigWatcher: Service {
    let reloader: ConfigReloader
    /// Poll interval; nil: files are not watched.
    let interval: Duration?
    /// Whether `SIGHUP` reloads (the `serve` command; tests in one process do not trap signals).
    let reloadsOnSignal: Bool
    let clock: any GatewayClock

    func run() async throws {
        await withDiscardingTaskGroup { group in
            if reloadsOnSignal {
                group.addTask {
                    let signals = await UnixSignalsSequence(trapping: .sighup)
                    for await _ in signals.cancelOnGracefulShutdown() {
                        await reloader.reload(trigger: "SIGHUP")
                    }
                }
            }
            if let interval {
                group.addTask { await cancelWhenGracefulShutdown { await watch(every: interval) } }
            }
        }
    }

    /// Compares the files with what the last load read (a refused file is not retried until it
    /// changes again), and reloads once a change has held still for an interval.
    private func watch(every interval: Duration) async {
        while !Task.isCancelled {
            guard (try? await clock.sleep(for: interval)) != nil else { return }
            let seen = ConfigSource.fingerprint(of: reloader.watchedFiles)
            guard seen != reloader.fingerprintLastRead else { continue }
            guard (try? await clock.sleep(for: interval)) != nil else { return }
            guard ConfigSource.fingerprint(of: reloader.watchedFiles) == seen else { continue }
            await reloader.reload(trigger: "file change")
        }
    }
}
