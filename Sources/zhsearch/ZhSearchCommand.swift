import ArgumentParser
import ZhSearch

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// The `zhsearch` command: indexes folders of Chinese text and searches them.
///
/// Collects the command line, dispatches to a subcommand, and turns every failure into one
/// line on standard error and exit status 2 (search uses 1 for "no hits").
@main
struct ZhSearchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "zhsearch",
    abstract: "Full-text search for Chinese: exact phrases, ranked paragraphs, highlighted snippets.",
    version: "zhsearch 0.5.0",
    subcommands: [Index.self, Search.self, Count.self, Show.self, Files.self, Stats.self, Verify.self, BenchCommand.self]
  )

  static func main() {
    // An index file truncated by another program while it is mapped: one line, exit 2.
    IndexReader.reportTruncatedFiles()
    // A file size limit (`ulimit -f`) then fails the write with EFBIG, reported as one line,
    // instead of killing the process.
    signal(SIGXFSZ, SIG_IGN)
    // An argument that is not valid UTF-8 would reach the code with its bytes replaced, a
    // path then naming another file: refused instead.
    for number in 1..<Int(CommandLine.argc) {
      guard let argument = CommandLine.unsafeArgv[number], String(validatingCString: argument) == nil else { continue }
      printError("argument \(number) is not valid UTF-8 (\(TerminalText.escaped(String(cString: argument))))")
      exit(2)
    }
    let arguments = Array(CommandLine.arguments.dropFirst())
    // A mistyped command name would otherwise be reported as unexpected arguments.
    let commands = configuration.subcommands.map { $0._commandName } + ["help"]
    if let first = arguments.first, !first.hasPrefix("-"), !commands.contains(first) {
      printError(TerminalText.escaped(CommandOptions.unknownCommand(first, known: commands)))
      exit(2)
    }
    do {
      var command = try parseAsRoot(CommandOptions.joiningNegativeValues(arguments))
      try command.run()
    } catch let error as CommandError {
      printError(TerminalText.escaped(error.message))
      exit(2)
    } catch let code as ExitCode {
      exit(code.rawValue)
    } catch {
      if exitCode(for: error) == .success {
        print(TerminalText.escapedKeepingLines(fullMessage(for: error)))
        exit(0)
      }
      // One line, as every other error: the parser's own message (which quotes what was
      // typed, and suggests the nearest option), without its usage lines.
      let short = message(for: error)
      let line = short.split(separator: "\n").first.map(String.init) ?? short
      printError(TerminalText.escaped(line) + " (see 'zhsearch \(command(in: arguments))--help')")
      exit(2)
    }
    exit(0)
  }

  /// The subcommand `arguments` name, followed by a space, or nothing.
  private static func command(in arguments: [String]) -> String {
    guard let first = arguments.first, configuration.subcommands.contains(where: { $0._commandName == first }) else {
      return ""
    }
    return first + " "
  }

  /// Exits with `status`, or with 2 and a line on standard error when what was printed on
  /// standard output could not all be written (a full disk): output lost must not look like
  /// success.
  static func exit(_ status: Int32) -> Never {
    let flushed = fflush(stdout) == 0
    let reason = errno
    if !flushed || ferror(stdout) != 0 {
      let why = flushed ? "a write failed" : String(cString: strerror(reason))
      printError("cannot write the output: \(why)")
      Glibc.exit(2)
    }
    Glibc.exit(status)
  }
}
