public import Synchronization
public import ZeroMQ

/// The CURVE identity a process's broker clients use unless told otherwise.
///
/// A CLI sets it once, from its --server-key/--key flags, before making clients, the way logging is
/// bootstrapped once; every `DocpipeClient` made afterwards then speaks CURVE without each command
/// having to pass keys along. Nil (the default) is plaintext, as on loopback.
public enum ClientIdentity {
    private static let box = Mutex<CurveClientKeys?>(nil)

    public static var curve: CurveClientKeys? {
        get { box.withLock { $0 } }
        set { box.withLock { $0 = newValue } }
    }
}
