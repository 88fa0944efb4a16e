import ArgumentParser
import ZhSearch

/// `zhsearch show FILE:LINE[:COLUMN]`: prints the stored paragraphs of a line, with context.
struct Show: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the stored paragraph(s) of a line of an indexed file.",
    discussion: """
      FILE is an indexed file: as stored, the same file by another path, or the end of one \
      stored path (gwr-2019.txt). FILE:LINE:COLUMN, as search prints it, shows the passage \
      of a long line that holds the column; FILE:LINE all of them.

      Exit status: 0 when the line holds a paragraph, 1 when it holds none (a blank line, \
      or past the file's end), 2 on error (an unknown or ambiguous file).
      """)

  @Argument(help: "FILE:LINE or FILE:LINE:COLUMN.")
  var place: String

  @Option(help: "Also show N paragraphs of the same file before and after.")
  var context: Int = 0

  @OptionGroup var options: IndexOptions

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  @OptionGroup var colors: ColorOptions

  func validate() throws {
    guard context >= 0 else { throw ValidationError("--context must be 0 or more (paragraphs), not \(context)") }
  }

  func run() throws {
    let reader: IndexReader
    do { reader = try IndexReader(directory: options.directory) } catch { throw CommandError(error) }
    let names: [String]
    do { names = try (0..<reader.fileCount).map { index throws(IndexError) in try reader.path(ofFile: index) } } catch {
      throw CommandError(error)
    }
    let (file, line, column) = try Self.resolve(place, names: names)
    var shown: [IndexReader.StoredParagraph]
    var around: (before: [IndexReader.StoredParagraph], after: [IndexReader.StoredParagraph]) = ([], [])
    do {
      shown = try reader.paragraphs(ofFile: file, line: line).map { id throws(IndexError) in try reader.paragraph(id) }
      // With a column, the passage that holds it (columns are recorded from format 4 on).
      if let column, shown.allSatisfy({ $0.column > 0 }), let holding = shown.last(where: { $0.column <= column }) {
        shown = [holding]
      }
      if let first = shown.first, let last = shown.last, context > 0 {
        around = (try reader.neighbours(of: first.id, count: context).before, try reader.neighbours(of: last.id, count: context).after)
      }
    } catch {
      throw CommandError(error)
    }
    guard !shown.isEmpty else {
      printError("\(TerminalText.escaped(PathDisplay.shown(path: names[file]))):\(line) holds no paragraph (a blank line, or past the file's end)")
      throw ExitCode(1)
    }
    if json {
      print(
        "{\"file\":\(JSONOutput.string(PathDisplay.shown(path: names[file]))),\"line\":\(line),"
          + "\"paragraphs\":\(JSONOutput.paragraphArray(shown)),"
          + "\"before\":\(JSONOutput.paragraphArray(around.before)),\"after\":\(JSONOutput.paragraphArray(around.after))}")
      return
    }
    // grep's way: `file:line:column:` before the paragraphs asked for, `-` after context.
    for paragraph in around.before { print(Search.place(paragraph, column: paragraph.column) + "- " + colors.dimmed(paragraph.text)) }
    for paragraph in shown { print(Search.place(paragraph, column: paragraph.column) + ": " + TerminalText.escaped(paragraph.text)) }
    for paragraph in around.after { print(Search.place(paragraph, column: paragraph.column) + "- " + colors.dimmed(paragraph.text)) }
  }

  /// The file index, line and column `place` names: `FILE:LINE:COLUMN` when its file part
  /// names an indexed file, else `FILE:LINE` (a file name may hold `:` and digits).
  static func resolve(_ place: String, names: [String]) throws -> (file: Int, line: Int, column: Int?) {
    let parts = place.split(separator: ":", omittingEmptySubsequences: false)
    func number(_ part: Substring) -> Int? { part.allSatisfy(\.isASCII) ? Int(part) : nil }
    guard parts.count >= 2, let last = number(parts[parts.count - 1]) else {
      throw CommandError(message: "'\(place)' is not FILE:LINE (as search prints it: corpus/gwr-2019.txt:65)")
    }
    var tried: [(file: String, line: Int, column: Int?)] = []
    if parts.count >= 3, let line = number(parts[parts.count - 2]) {
      tried.append((parts.dropLast(2).joined(separator: ":"), line, last))
    }
    tried.append((parts.dropLast().joined(separator: ":"), last, nil))
    var outcome = FileLookup.Outcome.none
    for (file, line, column) in tried {
      outcome = FileLookup.find(file, in: names)
      guard case .found(let index) = outcome else { continue }
      guard line >= 1 else { throw CommandError(message: "line numbers start at 1, not \(line)") }
      if let column, column < 1 { throw CommandError(message: "column numbers start at 1, not \(column)") }
      return (index, line, column)
    }
    let file = tried.last!.file
    if case .ambiguous(let indexes) = outcome {
      let some = indexes.prefix(3).map { PathDisplay.shown(path: names[$0]) }.joined(separator: ", ")
      throw CommandError(message: "'\(file)' is the end of \(indexes.count) indexed files (\(some)\(indexes.count > 3 ? ", ..." : "")); give more of the path")
    }
    throw CommandError(message: "no indexed file is '\(file)' (zhsearch stats tells how many files the index holds)")
  }
}
