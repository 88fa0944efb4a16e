import Foundation
import Testing

@testable import ZhSearch

/// Writing a chart: a new file, a chart of ours replaced, anything else left alone.
struct ChartFileTests {
  private let chart = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\(CountChart.marker)\n<svg/>\n"

  @Test func writesANewFileAndReplacesItsOwnChart() throws {
    let folder = Fixtures.temporaryDirectory(named: "chart")
    let path = folder + "/c.svg"
    try ChartFile.write(chart, to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == chart)
    try ChartFile.write(chart + "<!-- 2 -->", to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == chart + "<!-- 2 -->")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["c.svg"])
  }

  @Test func neverOverwritesAFileItDidNotWrite() throws {
    let folder = Fixtures.temporaryDirectory(named: "chart")
    let path = folder + "/paper.svg"
    let foreign = "<svg xmlns=\"http://www.w3.org/2000/svg\"/><!-- zhsearch count chart -->"
    try foreign.write(toFile: path, atomically: false, encoding: .utf8)
    #expect(throws: ChartFile.Failure.self) { try ChartFile.write(chart, to: path) }
    #expect(try String(contentsOfFile: path, encoding: .utf8) == foreign)
    // A symlink to a chart, and a folder, are refused too.
    let target = folder + "/ours.svg"
    try ChartFile.write(chart, to: target)
    try FileManager.default.createSymbolicLink(atPath: folder + "/link.svg", withDestinationPath: target)
    #expect(throws: ChartFile.Failure.self) { try ChartFile.write(chart, to: folder + "/link.svg") }
    #expect(throws: ChartFile.Failure.self) { try ChartFile.write(chart, to: folder) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["link.svg", "ours.svg", "paper.svg"])
  }

  @Test func aFolderThatDoesNotExistIsAnError() {
    #expect(throws: ChartFile.Failure.self) {
      try ChartFile.write(chart, to: Fixtures.temporaryDirectory(named: "chart") + "/no/such/c.svg")
    }
  }
}
