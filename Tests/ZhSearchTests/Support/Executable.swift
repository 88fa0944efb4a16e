import Foundation

/// Runs the built `zhsearch` executable, for tests of the command line.
enum Executable {
  /// Output and exit status of one run.
  struct Run {
    var status: Int32
    var output: String
    var error: String
  }

  /// Runs `zhsearch arguments` in `folder` (default: the test's own), reading both outputs.
  static func run(_ arguments: [String], in folder: String? = nil) throws -> Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Fixtures.executable)
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
    let (output, error) = (Pipe(), Pipe())
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
      error: String(decoding: errorData, as: UTF8.self))
  }
}
