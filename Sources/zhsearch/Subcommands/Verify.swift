import ArgumentParser
import ZhSearch

/// `zhsearch verify`: checks an index's checksums and structure and says what is wrong where.
struct Verify: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check every checksum and structure invariant of the index.",
    discussion: """
      Prints one line per problem found (the file, and where in it) on standard error and \
      exits with status 2, or prints a line saying the index is sound and exits with 0.
      """)

  @OptionGroup var options: IndexOptions

  func run() throws {
    let reader: IndexReader
    let problems: [IndexError]
    do {
      reader = try IndexReader(directory: options.directory)
    } catch {
      throw CommandError(error)
    }
    problems = reader.problems(limit: 50)
    guard problems.isEmpty else {
      for problem in problems { writeStandardError("zhsearch: \(TerminalText.escaped(Self.describe(problem)))\n") }
      throw CommandError(
        message: "\(options.directory): \(problems.count == 50 ? "50 or more" : String(problems.count)) "
          + "\(problems.count == 1 ? "problem" : "problems") found; rebuild the index with zhsearch index")
    }
    let statistics: IndexStatistics
    do { statistics = try reader.statistics() } catch { throw CommandError(error) }
    print(
      "\(TerminalText.escaped(options.directory)): sound (generation \(statistics.generation), \(statistics.fileSizes.count) files, "
        + "\(statistics.terms) terms, \(statistics.paragraphs) paragraphs checked)")
  }

  /// A problem without the advice to rebuild, which is given once at the end.
  static func describe(_ problem: IndexError) -> String {
    if case .corrupt(let file, let detail) = problem { return "damaged: \(file): \(detail)" }
    return problem.description
  }
}
