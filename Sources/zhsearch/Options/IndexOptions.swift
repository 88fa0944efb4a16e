import ArgumentParser

/// Options every subcommand that reads or writes an index shares.
struct IndexOptions: ParsableArguments {
  @Option(name: .long, help: "The index folder (default: .zhsearch in the current folder).")
  var index: String?

  static let defaultIndex = ".zhsearch"

  var directory: String { index ?? Self.defaultIndex }
}
