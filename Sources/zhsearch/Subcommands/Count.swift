import ArgumentParser
import ZhSearch

#if canImport(Glibc)
  import Glibc
#endif

/// `zhsearch count`: how many paragraphs match a query and how often its clauses occur,
/// per year or per file.
struct Count: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Count a query's paragraphs and occurrences per year or per file.",
    discussion: """
      The query is written as for search. An occurrence is a non-overlapping match of a \
      positive clause, as grep -o counts them (哈哈 occurs once in 哈哈哈), summed over the \
      distinct positive clauses in each matching paragraph. A file's year is the first \
      19xx or 20xx year (YYYY, YYYYMM or YYYYMMDD, a whole run of digits) in its name. By \
      year every year from the first to the last is shown, with a row for files without a year.

      Exit status: 0 when something matched, 1 when nothing did, 2 on error.
      """)

  @Argument(parsing: .allUnrecognized, help: "The query (several words are joined with spaces).")
  var query: [String] = []

  @OptionGroup var options: IndexOptions

  @Option(help: ArgumentHelp("Group by year (from the file name) or by file.", valueName: "year|file"))
  var by: CountReport.Grouping = .year

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  @Flag(help: "Print CSV with a header row instead of text.")
  var csv = false

  @Option(help: ArgumentHelp("Also write an SVG bar chart of the occurrences to this file.", valueName: "file"))
  var svg: String?

  @OptionGroup var scope: FileScopeOptions

  func validate() throws {
    guard !(json && csv) else { throw ValidationError("--json and --csv cannot be used together") }
  }

  /// The options `count` knows, for the suggestion after a mistyped one.
  static let optionNames = ["--index", "--by", "--json", "--csv", "--svg", "--in", "--help"]

  func run() throws {
    for token in query.prefix(while: { $0 != "--" }) where CommandOptions.looksLikeOption(token) {
      throw CommandError(message: CommandOptions.unknown(token, known: Self.optionNames, command: "count"))
    }
    let text = query.filter { $0 != "--" }.joined(separator: " ")
    let parsed: Query
    do { parsed = try QueryParser.parse(text) } catch { throw CommandError(error) }
    let report: CountReport
    do {
      let reader = try IndexReader(directory: options.directory)
      let files = try ParagraphFiles(reader: reader)
      let allowed = scope.allowedFiles(files)
      try FileScopeOptions.checkSomeFile(allowed)
      let searcher = try Searcher(reader: reader)
      searcher.scope = allowed.map { files.scope(allowing: $0) }
      let occurrences = try searcher.occurrences(parsed)
      report = CountReport(occurrences: occurrences, files: files, allowed: allowed, by: by)
    } catch let error as ExitCode {
      throw error
    } catch {
      throw CommandError(message: "\(error)")
    }
    if let hint = QueryHint.hint(for: parsed) { writeStandardError("zhsearch: hint: \(hint)\n") }
    if let svg {
      do { try ChartFile.write(CountChart.svg(report, query: text), to: svg) } catch {
        throw CommandError(message: error.description)
      }
    }
    if json {
      print(CountOutput.json(report, query: text))
    } else if csv {
      print(CountOutput.csv(report), terminator: "")
    } else {
      print(CountOutput.table(report, bars: isatty(STDOUT_FILENO) != 0), terminator: "")
    }
    if report.paragraphs == 0 { throw ExitCode(1) }
  }
}

extension CountReport.Grouping: ExpressibleByArgument {}
