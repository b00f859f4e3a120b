extension Array where Element == UInt8 {
    /// Appends the UTF-8 bytes of `text`, copying runs of ordinary bytes whole and letting
    /// `escape` write each byte for which `isSpecial` holds (the array-literal and COPY writers:
    /// traces and application texts go through here, so no per-character `String` work).
    @inline(__always)
    mutating func appendEscaped(_ text: String, isSpecial: (UInt8) -> Bool, escape: (UInt8, inout [UInt8]) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            var from = 0
            for (j, byte) in bytes.enumerated() where isSpecial(byte) {
                append(contentsOf: UnsafeBufferPointer(rebasing: bytes[from..<j]))
                escape(byte, &self)
                from = j + 1
            }
            append(contentsOf: UnsafeBufferPointer(rebasing: bytes[from...]))
        }
    }
}
