import ZhSearch

/// Paths of indexed files as zhsearch prints them: relative to the current folder when the
/// file lies below it, else absolute, so that they open from where the user stands
/// (`FilePaths.display`). An index of format 2 or 3 has only the paths as reached when
/// indexing, printed as they are.
enum PathDisplay {
  /// The current folder, found once.
  static let currentDirectory = FilePaths.currentDirectory()

  static func shown(_ paragraph: IndexReader.StoredParagraph) -> String {
    FilePaths.display(paragraph.path ?? paragraph.file, from: currentDirectory)
  }

  static func shown(_ file: IndexedFile) -> String {
    FilePaths.display(file.path, from: currentDirectory)
  }

  /// A path as `IndexReader.path(ofFile:)` gives it.
  static func shown(path: String) -> String {
    FilePaths.display(path, from: currentDirectory)
  }
}
