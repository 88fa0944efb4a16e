import ArgumentParser
import ZhSearch

#if canImport(Glibc)
  import Glibc
#endif

/// `zhsearch search`: runs a query and prints ranked paragraphs with highlighted snippets.
struct Search: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Search the index: exact phrases, ranked by BM25.",
    discussion: """
      Clauses separated by whitespace must all match; each is an exact phrase after folding \
      (full width to half width, upper to lower case). "quoted phrases" may hold spaces, \
      -clause excludes, and A OR B matches either: 脱贫攻坚 "乡村 振兴" 扶贫 OR 减贫 -农村

      Exit status: 0 with hits, 1 with none, 2 on error.
      """)

  @Argument(parsing: .allUnrecognized, help: "The query (several words are joined with spaces).")
  var query: [String] = []

  @OptionGroup var options: IndexOptions

  @Option(help: "How many hits to show.")
  var limit: Int = 10

  @Option(help: "Skip the first N hits (a page: --offset 10 --limit 10 shows ranks 11 to 20).")
  var offset: Int = 0

  @Option(help: "Show N paragraphs of the same file before and after each hit.")
  var context: Int = 0

  @OptionGroup var colors: ColorOptions

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  @Option(help: "BM25 term-frequency saturation.")
  var k1: Double = 1.2

  @Option(help: "BM25 length normalization (0 to 1).")
  var b: Double = 0.75

  @OptionGroup var scope: FileScopeOptions

  func validate() throws {
    guard limit >= 0 else { throw ValidationError("--limit must be 0 or more, not \(limit)") }
    guard offset >= 0 else { throw ValidationError("--offset must be 0 or more (hits to skip), not \(offset)") }
    guard context >= 0 else { throw ValidationError("--context must be 0 or more (paragraphs), not \(context)") }
    guard k1.isFinite, k1 >= 0 else { throw ValidationError("--k1 must be a finite number, 0 or more, not \(k1)") }
    guard (0...1).contains(b) else { throw ValidationError("--b must be from 0 to 1, not \(b)") }
  }

  /// The options `search` knows, for the suggestion after a mistyped one.
  static let optionNames = ["--index", "--limit", "--offset", "--context", "--color", "--in", "--json", "--k1", "--b", "--help"]

  func run() throws {
    // The query takes every argument the parser does not know, so that `-clause` excludes;
    // what looks like an option before a `--` is a mistyped one, not text to search for.
    for token in query.prefix(while: { $0 != "--" }) where CommandOptions.looksLikeOption(token) {
      throw CommandError(message: CommandOptions.unknown(token, known: Self.optionNames, command: "search"))
    }
    // `--` only ends the options; it is not part of the query.
    let text = query.filter { $0 != "--" }.joined(separator: " ")
    let reader = try openIndex()
    let searcher: Searcher
    do { searcher = try Searcher(reader: reader, scoring: BM25(k1: k1, b: b)) } catch {
      throw CommandError(error)
    }
    if !scope.globs.isEmpty {
      do {
        let files = try ParagraphFiles(reader: reader)
        let allowed = scope.allowedFiles(files)
        try FileScopeOptions.checkSomeFile(allowed)
        searcher.scope = allowed.map { files.scope(allowing: $0) }
      } catch let error as IndexError { throw CommandError(error) }
    }
    let result: SearchResult
    let parsed: Query
    do { parsed = try QueryParser.parse(text) } catch { throw CommandError(error) }
    do { result = try searcher.search(parsed, text: text, limit: limit, offset: offset) } catch { throw CommandError(error) }
    if let hint = QueryHint.hint(for: parsed) { writeStandardError("zhsearch: hint: \(hint)\n") }
    var around: [(before: [IndexReader.StoredParagraph], after: [IndexReader.StoredParagraph])] = []
    if context > 0 {
      do { around = try result.hits.map { try reader.neighbours(of: $0.paragraph.id, count: context) } } catch {
        throw CommandError(error)
      }
    }
    if json {
      print(JSONOutput.render(result, context: context > 0 ? around : nil))
    } else {
      let style = colors.style
      for (index, hit) in result.hits.enumerated() {
        print("\(hit.rank). \(format(hit.score, 3))  \(Self.place(hit.paragraph, column: hit.column))")
        // Context paragraphs in full, dimmed, after their line number and a dash (grep's
        // context lines); the hit's own snippet as before.
        for paragraph in around.isEmpty ? [] : around[index].before {
          print("   \(paragraph.line)- " + colors.dimmed(paragraph.text))
        }
        print("   " + Snippet.render(hit.paragraph.text, highlights: hit.highlights, style: style))
        for paragraph in around.isEmpty ? [] : around[index].after {
          print("   \(paragraph.line)- " + colors.dimmed(paragraph.text))
        }
      }
      let noun = result.total == 1 ? "paragraph" : "paragraphs"
      print("\(result.total) \(noun) matched")
    }
    if result.total == 0 { throw ExitCode(1) }
  }

  /// `file:line:column` (`file:line` from an index without columns), escaped for a
  /// terminal.
  static func place(_ paragraph: IndexReader.StoredParagraph, column: Int) -> String {
    let place = "\(TerminalText.escaped(PathDisplay.shown(paragraph))):\(paragraph.line)"
    return column > 0 ? place + ":\(column)" : place
  }

  /// Opens the index, first building it from `corpus/` when the default index is missing
  /// and a `corpus` folder is here (the README's quick start).
  private func openIndex() throws -> IndexReader {
    let directory = options.directory
    do {
      return try IndexReader(directory: directory)
    } catch IndexError.noIndex(let path)
      where options.index == nil && isDirectory("corpus") && !isDirectory(path)
    {
      writeStandardError("zhsearch: no index at \(TerminalText.escaped(path)) yet; indexing corpus/ first\n")
      let summary = try Index.build(paths: ["corpus"], into: directory)
      writeStandardError("zhsearch: \(summary)\n")
      do { return try IndexReader(directory: directory) } catch { throw CommandError(error) }
    } catch {
      throw CommandError(error)
    }
  }

  private func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
  }
}
