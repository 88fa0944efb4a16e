/// The doc codes and skip entries of the list being written, in memory reused from term to
/// term.
struct DocScratch: ~Copyable {
  var docs = BitWriter()
  var skips = ByteBuffer(capacity: 1 << 12)
}
