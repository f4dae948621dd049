import Foundation

/// When to restart a worker that exited: at once-ish the first time, then doubling up to a ceiling, so a
/// worker that crashes on start (bad flags, broker unreachable, a bug) does not spin the machine; a
/// worker that ran for a while before dying is treated as healthy again and restarts quickly.
struct SupervisorBackoff: Equatable {
    var initial: Double = 0.5
    var maximum: Double = 30
    /// A run at least this long resets the delay to `initial`.
    var healthyAfter: Double = 10
    private(set) var current: Double?

    init(initial: Double = 0.5, maximum: Double = 30, healthyAfter: Double = 10) {
        self.initial = initial
        self.maximum = maximum
        self.healthyAfter = healthyAfter
    }

    /// The delay before the next start, given how long the last run lasted.
    mutating func delay(afterRunOf seconds: Double) -> Double {
        let next = if let current, seconds < healthyAfter { min(current * 2, maximum) } else { initial }
        current = next
        return next
    }
}

/// One worker slot `docpipe up` keeps filled: which program, which instance, and its current process.
final class SupervisedWorker {
    enum State: Equatable {
        case running(pid: Int32, since: Date)
        case waiting(until: Date)
        case stopped
    }

    let name: String
    let instance: Int
    let executable: URL
    let arguments: [String]
    let workingDirectory: URL?
    var state: State = .stopped
    var process: Process?
    var restarts = 0
    var lastExit: String?
    var backoff: SupervisorBackoff

    init(name: String, instance: Int, executable: URL, arguments: [String], workingDirectory: URL?,
         backoff: SupervisorBackoff) {
        self.name = name
        self.instance = instance
        self.executable = executable
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.backoff = backoff
    }

    var label: String { "\(name)#\(instance)" }

    /// "exit 1", "signal 9": how the process ended, the way operators say it.
    static func describeExit(_ process: Process) -> String {
        process.terminationReason == .uncaughtSignal ? "signal \(process.terminationStatus)"
            : "exit \(process.terminationStatus)"
    }
}
