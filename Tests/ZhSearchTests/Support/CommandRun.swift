import Foundation

/// One run of the built `zhsearch` executable: its output, errors and exit status.
struct CommandRun {
  var status: Int32
  var output: String
  var error: String

  /// Runs the executable with `arguments` (in `folder`, with `environment` added to this
  /// process's, its standard output written to `outputFile` when one is given) and waits
  /// for it.
  init(
    _ arguments: [String], in folder: String? = nil, environment: [String: String] = [:], outputFile: String? = nil
  ) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Fixtures.executable)
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let (output, error) = (Pipe(), Pipe())
    process.standardOutput = try outputFile.map { try FileHandle(forWritingTo: URL(fileURLWithPath: $0)) } ?? output
    process.standardError = error
    try process.run()
    let outputData = outputFile == nil ? output.fileHandleForReading.readDataToEndOfFile() : Data()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    status = process.terminationStatus
    self.output = String(decoding: outputData, as: UTF8.self)
    self.error = String(decoding: errorData, as: UTF8.self)
  }
}
