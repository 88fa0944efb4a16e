import ArgumentParser
import ZhSearch

/// `--in GLOB`, shared by `search` and `count`: restricts results to the files that match
/// any of the globs (see `FileFilter` for what a glob is matched against).
struct FileScopeOptions: ParsableArguments {
  @Option(
    name: .customLong("in"),
    help: ArgumentHelp(
      "Only files matching this glob (repeatable): without a slash it matches the file name ('gwr-*'), with one the path; * ? [..] and ** across folders.",
      valueName: "glob"))
  var globs: [String] = []

  /// The files the globs let through, each glob that matches no file warned about on
  /// standard error; nil without `--in`.
  func allowedFiles(_ files: ParagraphFiles) -> [Bool]? {
    guard !globs.isEmpty else { return nil }
    let filter = FileFilter(globs: globs, currentDirectory: PathDisplay.currentDirectory ?? ".")
    let (allowed, unmatched) = filter.allowed(files.paths)
    for glob in unmatched {
      writeStandardError("zhsearch: warning: --in '\(TerminalText.escaped(glob))' matches no indexed file\n")
    }
    return allowed
  }

  /// Exit status 1 with a note when the globs let no file through.
  static func checkSomeFile(_ allowed: [Bool]?) throws {
    if let allowed, !allowed.contains(true) {
      writeStandardError("zhsearch: no indexed file matches --in; nothing to search\n")
      throw ExitCode(1)
    }
  }
}
