/// Takes a plugin's own flag (a `PluginFlag`: `--model FILE`, `--store URL`) out of the command line before
/// WorkerKit parses the shared worker flags strictly, which would refuse it. Internal: plugins declare their
/// flags to `WorkerRunner.main(flags:)` rather than cut the command line themselves.
enum PluginArguments {
    /// Removes every `--NAME VALUE` and `--NAME=VALUE` from `arguments`; the last value wins.
    static func take(_ name: String, from arguments: [String]) -> (value: String?, rest: [String]) {
        var rest: [String] = []
        var value: String?
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == name, index + 1 < arguments.count {
                value = arguments[index + 1]
                index += 2
                continue
            }
            if argument.hasPrefix(name + "=") {
                value = String(argument.dropFirst(name.count + 1))
            } else {
                rest.append(argument)
            }
            index += 1
        }
        return (value, rest)
    }
}
