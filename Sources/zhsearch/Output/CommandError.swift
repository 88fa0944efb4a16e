#if canImport(Glibc)
  import Glibc
#endif

/// A failure the CLI reports as one line and exit status 2 (its control characters, which
/// may come from a path, escaped).
struct CommandError: Error {
  let message: String

  init(_ error: any Error) { message = String(describing: error) }
  init(message: String) { self.message = message }
}

/// Writes `message` to standard error, prefixed with `zhsearch: `.
func printError(_ message: String) {
  var line = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
  if !line.hasPrefix("zhsearch") && !line.hasPrefix("Usage") { line = "zhsearch: " + line }
  writeStandardError(line + (line.hasSuffix("\n") ? "" : "\n"))
}

/// Writes text to standard error as it is.
func writeStandardError(_ text: String) {
  var text = text
  text.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
}
