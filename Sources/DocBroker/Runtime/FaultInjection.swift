#if DEBUG
    import Foundation
    #if canImport(Glibc)
        import Glibc
    #endif

    /// Crash points for tests, chosen with `DOCPIPE_FAULT`. Compiled into debug builds only: a release build has
    /// no such code and ignores the variable.
    ///
    /// - `exit-before-send`: once a submit's record is durable, the broker exits (status 86) before sending its
    ///   202. The job must be there after a restart: "accepted means journalled" holds even when the client
    ///   never heard.
    /// - `exit-after-send`: the broker sends a submit's 202 first and exits before handing the record to the
    ///   journal: the order docpipe must never use, shown by a test to lose the job the client was told about.
    enum FaultInjection: String {
        case exitBeforeSend = "exit-before-send"
        case exitAfterSend = "exit-after-send"

        static let active: FaultInjection? = ProcessInfo.processInfo.environment["DOCPIPE_FAULT"]
            .flatMap(FaultInjection.init(rawValue:))

        static let exitStatus: Int32 = 86

        static func exit(_ fault: FaultInjection) -> Never {
            FileHandle.standardError.write(Data("docpipe broker: DOCPIPE_FAULT=\(fault.rawValue): exiting now\n".utf8))
            _exit(exitStatus)
        }
    }
#endif
