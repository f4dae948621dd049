package import Foundation

/// When to restart a worker that exited: at once-ish the first time, then doubling up to a ceiling, so a
/// worker that crashes on start (bad flags, broker unreachable, a bug) does not spin the machine; a
/// worker that ran for a while before dying is treated as healthy again and restarts quickly.
package struct SupervisorBackoff: Equatable {
    package var initial: Double = 0.5
    package var maximum: Double = 30
    /// A run at least this long resets the delay to `initial`.
    package var healthyAfter: Double = 10
    private(set) var current: Double?

    package init(initial: Double = 0.5, maximum: Double = 30, healthyAfter: Double = 10) {
        self.initial = initial
        self.maximum = maximum
        self.healthyAfter = healthyAfter
    }

    /// The delay before the next start, given how long the last run lasted.
    package mutating func delay(afterRunOf seconds: Double) -> Double {
        let next = if let current, seconds < healthyAfter { min(current * 2, maximum) } else { initial }
        current = next
        return next
    }
}

/// One worker slot `docpipe up` keeps filled: which program, which instance, and its current process.
package final class SupervisedWorker {
    package enum State: Equatable {
        case running(pid: Int32, since: Date)
        case waiting(until: Date)
        case stopped
    }

    package let name: String
    package let instance: Int
    package let executable: URL
    package let arguments: [String]
    package let workingDirectory: URL?
    package var state: State = .stopped
    package var process: Process?
    package var restarts = 0
    package var lastExit: String?
    package var backoff: SupervisorBackoff

    package init(
        name: String, instance: Int, executable: URL, arguments: [String], workingDirectory: URL?,
        backoff: SupervisorBackoff
    ) {
        self.name = name
        self.instance = instance
        self.executable = executable
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.backoff = backoff
    }

    package var label: String { "\(name)#\(instance)" }

    /// "exit 1", "signal 9": how the process ended, the way operators say it.
    package static func describeExit(_ process: Process) -> String {
        process.terminationReason == .uncaughtSignal
            ? "signal \(process.terminationStatus)"
            : "exit \(process.terminationStatus)"
    }
}
