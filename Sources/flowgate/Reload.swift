import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `flowgate reload`: asks a running gateway to reload its config (sends it `SIGHUP`). The gateway
/// validates the file first and keeps its old config if the new one has a problem; its log says which.
struct Reload: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reload a running gateway's config (SIGHUP): validated first, a bad file changes nothing."
    )

    @Option(name: .long, help: "The pid file `flowgate serve --pid-file` wrote.")
    var pidFile: String?

    @Option(name: .long, help: "The gateway's process id (instead of --pid-file).")
    var pid: Int32?

    func run() throws {
        let target: Int32
        if let pid {
            target = pid
        } else if let pidFile {
            guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
                let value = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else {
                throw ValidationError("\(pidFile) holds no process id")
            }
            target = value
        } else {
            throw ValidationError("name the gateway with --pid-file FILE or --pid PID")
        }
        guard kill(target, SIGHUP) == 0 else {
            throw ValidationError("cannot signal process \(target): \(String(cString: strerror(errno)))")
        }
        print("sent SIGHUP to \(target): its log says whether the new config was applied")
    }
}
