internal import CZeroMQ

/// The version of the libzmq library loaded at run time (not the headers compiled against).
public enum ZeroMQVersion {
    /// `major.minor.patch`, e.g. `4.3.4`.
    public static var string: String {
        let (major, minor, patch) = components
        return "\(major).\(minor).\(patch)"
    }

    /// The version as numbers, for comparisons.
    public static var components: (major: Int, minor: Int, patch: Int) {
        var major: Int32 = 0
        var minor: Int32 = 0
        var patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return (Int(major), Int(minor), Int(patch))
    }
}
