/// Something about one corpus file or folder that the user should hear of: it was skipped,
/// or read with bytes replaced.
public struct CorpusWarning: Equatable, Sendable, CustomStringConvertible {
  /// What happened, as counted in the build's summary.
  public enum Kind: String, Sendable, CaseIterable {
    case notFound = "not found"
    case unreadable = "unreadable"
    case brokenLink = "broken symlink"
    case linkLoop = "symlink loop"
    case badName = "name not UTF-8"
    case empty = "empty"
    case binary = "binary or undecodable"
    /// A FIFO, socket or device, which reading could block on forever or never finish.
    case notRegular = "not a regular file"
    /// The file was indexed, with malformed bytes replaced by U+FFFD.
    case invalidBytes = "invalid bytes replaced"
    /// The file was indexed up to a read error.
    case readError = "read error"
  }

  public var path: String
  public var kind: Kind
  public var detail: String

  public init(path: String, kind: Kind, detail: String) {
    self.path = path
    self.kind = kind
    self.detail = detail
  }

  /// Whether the file was left out of the index (else it was indexed, perhaps in part).
  public var skipped: Bool { kind != .invalidBytes && kind != .readError }

  public var description: String { "\(path): \(detail)" }
}
