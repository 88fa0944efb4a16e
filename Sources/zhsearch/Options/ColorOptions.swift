import ArgumentParser
import ZhSearch

#if canImport(Glibc)
  import Glibc
#endif

/// `--color auto|always|never`, as ripgrep has it, shared by the commands that print text
/// from the index.
struct ColorOptions: ParsableArguments {
  enum Choice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
  }

  @Option(help: "Colour matches: auto (on a terminal, unless NO_COLOR is set), always or never.")
  var color: Choice = .auto

  /// Whether to print ANSI colours: `auto` colours only a terminal, and not when the
  /// NO_COLOR variable is set to anything but the empty string (no-color.org).
  var colors: Bool {
    switch color {
    case .always: return true
    case .never: return false
    case .auto:
      let noColor = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
      return isatty(STDOUT_FILENO) != 0 && !noColor
    }
  }

  var style: Snippet.Style { colors ? .color : .brackets }

  /// `text` dimmed when colouring (context around what was asked for), escaped for a
  /// terminal either way.
  func dimmed(_ text: String) -> String {
    let text = TerminalText.escaped(text)
    return colors ? "\u{1B}[2m" + text + "\u{1B}[0m" : text
  }
}
