#if canImport(Glibc)
  import Glibc
#endif

/// Writes a chart where the user asked, never over a file zhsearch did not write: an
/// existing file is replaced only when it starts with `CountChart.marker`. The chart is
/// written to a new temporary file beside it (`O_EXCL`), then moved in: by `link`, which
/// fails if a file appeared meanwhile, or by `rename` over a chart of ours.
public enum ChartFile {
  public struct Failure: Error, CustomStringConvertible {
    public let description: String
  }

  public static func write(_ contents: String, to path: String) throws(Failure) {
    let replacing: Bool
    var info = stat()
    if lstat(path, &info) == 0 {
      guard info.st_mode & S_IFMT == S_IFREG, startsWithMarker(path) else {
        throw Failure(description: "\(path) exists and is not a chart zhsearch wrote; not overwriting it")
      }
      replacing = true
    } else {
      replacing = false
    }
    let slash = path.lastIndex(of: "/")
    let folder = slash.map { String(path[...$0]) } ?? ""
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    let temporary = folder + "." + name + ".zhsearch-\(getpid()).tmp"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw failure("cannot create \(temporary)") }
    var written = true
    let bytes = Array(contents.utf8)
    bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let count = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else {
          written = false
          return
        }
        offset += count
      }
    }
    let reason = errno
    if close(descriptor) != 0 { written = false }
    guard written else {
      unlink(temporary)
      errno = reason
      throw failure("cannot write \(temporary)")
    }
    if replacing {
      guard rename(temporary, path) == 0 else {
        let error = failure("cannot replace \(path)")
        unlink(temporary)
        throw error
      }
    } else {
      guard link(temporary, path) == 0 else {
        let error = errno == EEXIST
          ? Failure(description: "\(path) appeared while the chart was written; not overwriting it")
          : failure("cannot create \(path)")
        unlink(temporary)
        throw error
      }
      unlink(temporary)
    }
  }

  /// Whether the regular file at `path` begins with a chart's first lines.
  private static func startsWithMarker(_ path: String) -> Bool {
    let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var buffer = [UInt8](repeating: 0, count: 256)
    let count = read(descriptor, &buffer, buffer.count)
    guard count > 0 else { return false }
    let head = String(decoding: buffer[..<count], as: UTF8.self)
    return head.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + CountChart.marker)
  }

  private static func failure(_ what: String) -> Failure {
    Failure(description: "\(what): \(String(cString: strerror(errno)))")
  }
}
