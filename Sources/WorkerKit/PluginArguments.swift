/// A flag only one plugin has (`--model FILE`, `--store URL`): taken out of the command line before
/// WorkerKit parses the shared worker flags strictly, which would refuse it.
public enum PluginArguments {
    /// Removes every `--NAME VALUE` and `--NAME=VALUE` from `arguments`; the last value wins.
    public static func take(_ name: String, from arguments: [String]) -> (value: String?, rest: [String]) {
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
