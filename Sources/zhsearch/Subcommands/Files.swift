import ArgumentParser
import ZhSearch

/// `zhsearch files`: lists the indexed files with their paragraphs, encodings and sizes.
struct Files: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List the indexed files with their paragraphs, encodings and sizes.",
    discussion: """
      One line per file, in index order, its path relative to the current folder when the \
      file lies below it (else absolute). An index of format version 3 or before records no \
      encodings or sizes: they show as unknown, and paths as they were given to the build.
      """)

  @OptionGroup var options: IndexOptions

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  func run() throws {
    let files: [IndexedFile]
    let roots: [String]?
    let builtAt: Int64?
    do {
      let reader = try IndexReader(directory: options.directory)
      files = try reader.files()
      roots = try reader.roots()
      builtAt = reader.builtAt
    } catch {
      throw CommandError(error)
    }
    if json {
      print(JSONOutput.render(files, roots: roots, builtAt: builtAt))
      return
    }
    let rows = files.map { file in
      (
        paragraphs: String(file.paragraphs), encoding: file.encoding.map(TerminalText.escaped) ?? (file.isAbsolute ? "-" : "unknown"),
        bytes: file.bytes.map(String.init) ?? "unknown", path: TerminalText.escaped(PathDisplay.shown(file))
      )
    }
    let widths = (
      paragraphs: rows.reduce("paragraphs".count) { max($0, $1.paragraphs.count) },
      encoding: rows.reduce("encoding".count) { max($0, $1.encoding.count) },
      bytes: rows.reduce("bytes".count) { max($0, $1.bytes.count) }
    )
    func line(_ paragraphs: String, _ encoding: String, _ bytes: String, _ path: String) -> String {
      func spaces(_ count: Int) -> String { String(repeating: " ", count: count) }
      return spaces(widths.paragraphs - paragraphs.count) + paragraphs + "  " + encoding + spaces(widths.encoding - encoding.count)
        + "  " + spaces(widths.bytes - bytes.count) + bytes + "  " + path
    }
    print(line("paragraphs", "encoding", "bytes", "file"))
    for row in rows { print(line(row.paragraphs, row.encoding, row.bytes, row.path)) }
    let paragraphs = files.reduce(0) { $0 + $1.paragraphs }
    print("\(files.count) \(files.count == 1 ? "file" : "files"), \(paragraphs) \(paragraphs == 1 ? "paragraph" : "paragraphs")")
  }
}
