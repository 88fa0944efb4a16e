import ArgumentParser
import FoundationEssentials
import ZhSearch

/// Options that shape an index build, shared by `index` and `bench`.
struct BuildOptions: ParsableArguments {
  @Option(help: "Lines longer than this many characters are split into passages.")
  var maxParagraphLength: Int = 400

  @Option(help: "Threads that read and analyze (default and most: one per core).")
  var threads: Int?

  @Option(help: "Memory for buffered postings, in MB, before they are spilled to disk (at most the machine's memory).")
  var memory: Int = 256

  @Option(help: "The encoding of every file (GB18030, Big5, UTF-16LE, ...; default: detect each file's).")
  var encoding: String?

  @Flag(help: "Keep traditional and simplified characters apart (default: each traditional character is indexed and searched as its simplified form, so 發展 and 发展 match each other).")
  var keepVariants = false

  func validate() throws {
    guard maxParagraphLength >= 20 else {
      throw ValidationError("--max-paragraph-length must be at least 20")
    }
    guard (threads ?? 1) >= 1 else { throw ValidationError("--threads must be at least 1") }
    guard memory >= 16 else { throw ValidationError("--memory must be at least 16 (MB)") }
  }

  func builder() throws -> IndexBuilder {
    // Threads beyond the cores and a budget beyond physical memory cannot help: each thread
    // takes a share of the budget and writes a scratch run of its own, and a budget in MB past
    // 2^43 would overflow in bytes.
    let megabytes = min(memory, Int(clamping: ProcessInfo.processInfo.physicalMemory >> 20))
    var builder = IndexBuilder(maxParagraphLength: maxParagraphLength, memoryBudget: megabytes << 20)
    builder.foldsVariants = !keepVariants
    if let threads { builder.threads = min(threads, ProcessInfo.processInfo.activeProcessorCount) }
    if let encoding {
      guard let known = TextEncoding(name: encoding) else {
        throw CommandError(message: "unknown encoding \(encoding) (ICU converter names work: GB18030, Big5, UTF-16LE, Shift_JIS, ...)")
      }
      builder.encoding = known
    }
    return builder
  }
}
