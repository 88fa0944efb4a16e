import ArgumentParser
import ZhSearch

#if canImport(Glibc)
  import Glibc
#endif

/// `zhsearch index`: reads files and folders of UTF-8 text and writes their index.
struct Index: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Index files and folders of UTF-8 text (folders: every .txt file, recursively).")

  @Argument(help: "Files and folders to index (default: corpus).")
  var paths: [String] = []

  @OptionGroup var options: IndexOptions

  @OptionGroup var build: BuildOptions

  func run() throws {
    let paths = paths.isEmpty ? ["corpus"] : paths
    var builder = build.builder
    let progress = ProgressBar(paths: paths)
    progress?.start("indexing")
    if let progress { builder.progress = { @Sendable done in progress.update(done) } }
    let summary = try Self.build(paths: paths, into: options.directory, with: builder)
    progress?.finish()
    print(summary)
  }

  /// Builds the index and returns a one-line summary of what was done.
  static func build(paths: [String], into directory: String, with builder: IndexBuilder = IndexBuilder())
    throws -> String
  {
    let report: IndexBuilder.Report
    do {
      report = try builder.build(paths: paths, into: directory)
    } catch {
      throw CommandError(error)
    }
    let megabytes = Double(report.inputBytes) / 1_000_000
    return
      "indexed \(report.files) files, \(report.paragraphs) paragraphs (\(format(megabytes, 2)) MB) "
      + "in \(format(report.seconds, 2)) s (\(format(megabytes / report.seconds, 1)) MB/s) into \(directory) "
      + "(index \(format(Double(report.statistics.totalBytes) / 1_000_000, 2)) MB)"
  }
}

/// Formats a number with a fixed count of decimals.
func format(_ value: Double, _ decimals: Int) -> String {
  var scale = 1.0
  for _ in 0..<decimals { scale *= 10 }
  let rounded = (value * scale).rounded() / scale
  var text = String(rounded)
  if let dot = text.firstIndex(of: ".") {
    let have = text.distance(from: dot, to: text.endIndex) - 1
    if have < decimals { text += String(repeating: "0", count: decimals - have) }
    if decimals == 0 { text = String(text[..<dot]) }
  }
  return text
}
