/// What the CLI makes of arguments that look like options before the parser sees them.
enum CommandOptions {
  /// Options that take a number, whose negative values the parser would otherwise take for
  /// options and report as a missing value.
  static let numeric: Set<String> = ["--limit", "--offset", "--context", "--k1", "--b", "--threads", "--memory", "--max-paragraph-length", "--runs"]

  /// `arguments` with a negative number after a numeric option joined to it (`--limit -1`
  /// becomes `--limit=-1`), so that the option's own check says what is wrong with it.
  static func joiningNegativeValues(_ arguments: [String]) -> [String] {
    var result: [String] = []
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      if argument == "--" { return result + arguments[index...] }
      if numeric.contains(argument), index + 1 < arguments.count, isNegativeNumber(arguments[index + 1]) {
        result.append(argument + "=" + arguments[index + 1])
        index += 2
        continue
      }
      result.append(argument)
      index += 1
    }
    return result
  }

  private static func isNegativeNumber(_ text: String) -> Bool {
    text.hasPrefix("-") && Double(text) != nil
  }

  /// Whether `token` is written as an option: `--` or `-`, then an ASCII letter, then
  /// letters, digits and dashes, up to an optional `=value` (`--limt`, `-n`, `--k=3`). A
  /// dash before Han characters or digits is an excluded clause (`-农村`, `-2018`).
  static func looksLikeOption(_ token: String) -> Bool {
    let bytes = Array(token.utf8)
    guard bytes.count >= 2, bytes[0] == UInt8(ascii: "-") else { return false }
    let name = bytes[(bytes[1] == UInt8(ascii: "-") ? 2 : 1)...].prefix { $0 != UInt8(ascii: "=") }
    guard let first = name.first, isLetter(first) else { return false }
    return name.allSatisfy { isLetter($0) || $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0) }
  }

  private static func isLetter(_ byte: UInt8) -> Bool {
    (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
  }

  /// The one-line error for an unknown option, with the nearest known one when it is close.
  static func unknown(_ token: String, known: [String], command: String) -> String {
    let name = String(token.prefix { $0 != "=" })
    var message = "unknown option '\(name)'"
    // Close enough to be a slip: one edit for short names, two for longer ones.
    let limit = max(1, min(2, name.count / 3))
    let candidates = known.map { ($0, distance(name, $0)) }.filter { $0.1 <= limit }
    if let best = candidates.min(by: { $0.1 < $1.1 }) { message += "; did you mean '\(best.0)'?" }
    return message + " (to search for text that starts with '-', put it after '--': zhsearch \(command) -- \(name))"
  }

  /// The one-line error for a command name that is not one, with the nearest when it is close.
  static func unknownCommand(_ name: String, known: [String]) -> String {
    var message = "unknown command '\(name)'"
    let limit = max(1, min(2, name.count / 3))
    let candidates = known.map { ($0, distance(name, $0)) }.filter { $0.1 <= limit }
    if let best = candidates.min(by: { $0.1 < $1.1 }) { message += "; did you mean '\(best.0)'?" }
    return message + " (commands: " + known.filter { $0 != "help" }.joined(separator: ", ") + ")"
  }

  /// The edit distance (Levenshtein) between two strings, by characters.
  static func distance(_ a: String, _ b: String) -> Int {
    let (a, b) = (Array(a), Array(b))
    guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
    var previous = Array(0...b.count)
    for i in 1...a.count {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in 1...b.count {
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
}
