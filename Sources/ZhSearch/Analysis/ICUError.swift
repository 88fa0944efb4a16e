import CICUShim

/// An error code returned by ICU, wrapped as a Swift error.
///
/// The raw value is ICU's `UErrorCode`; the description is ICU's own name for it.
public struct ICUError: Error, RawRepresentable, Hashable, CustomStringConvertible, Sendable {
  public let rawValue: Int32

  public init(rawValue: Int32) { self.rawValue = rawValue }

  /// ICU's buffer-overflow warning, returned when an output buffer is too small.
  static let bufferOverflow = ICUError(rawValue: 15)

  /// Whether `code` is a failure (ICU's `U_FAILURE`: a positive code).
  static func isFailure(_ code: Int32) -> Bool { code > 0 }

  public var description: String {
    "ICU error \(rawValue) (\(String(cString: cicu_error_name(rawValue))))"
  }
}
