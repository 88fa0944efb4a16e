import Foundation

/// One run of the `zhsearch` executable: its exit status, standard output and standard
/// error, run in `folder` when one is given.
struct CommandRun {
  var status: Int32
  var output: String
  var error: String

  init(_ arguments: [String], in folder: String? = nil) throws {
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
    status = process.terminationStatus
    self.output = String(decoding: outputData, as: UTF8.self)
    self.error = String(decoding: errorData, as: UTF8.self)
  }
}
