import ArgumentParser
import ZhSearch

/// `zhsearch stats`: prints what an index holds and how big its files are.
struct Stats: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Show the index's counts and file sizes.")

  @OptionGroup var options: IndexOptions

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  func run() throws {
    let statistics: IndexStatistics
    do {
      statistics = try IndexReader(directory: options.directory).statistics()
    } catch {
      throw CommandError(error)
    }
    if json {
      print(JSONOutput.render(statistics))
      return
    }
    print("index             \(TerminalText.escaped(options.directory)) (format version \(statistics.formatVersion), generation \(statistics.generation))")
    print("variants          \(statistics.foldsVariants ? "folded (traditional matches simplified)" : "kept apart")")
    // (An index of format 2 or 3 does not record them.)
    let roots = statistics.roots.map { $0.map(TerminalText.escaped).joined(separator: " ") } ?? "unknown"
    print("indexed from      \(roots)")
    print("built             \(statistics.builtAt.map(TimeText.local) ?? "unknown")")
    print("files             \(statistics.files)")
    print("paragraphs        \(statistics.paragraphs)")
    print("distinct terms    \(statistics.terms)")
    print("postings          \(statistics.postings)")
    print("positions         \(statistics.positions)")
    for file in statistics.fileSizes {
      print("\(file.name.padding(18))\(file.bytes) bytes")
    }
    print("total             \(statistics.totalBytes) bytes")
  }
}

extension String {
  /// The string padded with spaces to `width` characters.
  func padding(_ width: Int) -> String {
    count >= width ? self + " " : self + String(repeating: " ", count: width - count)
  }
}
