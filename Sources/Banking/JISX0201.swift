/// JIS X 0201, the single-byte code of the Zengin file: ASCII's printable range as it is (the
/// set uses no character where JIS X 0201's Roman half differs, `¥` and `‾`), and the half-width
/// katakana U+FF61…U+FF9F as the bytes 0xA1…0xDF.
public enum JISX0201 {
    /// The byte of `scalar`, or nil when JIS X 0201 has none.
    public static func byte(_ scalar: Unicode.Scalar) -> UInt8? {
        switch scalar.value {
        case 0x20...0x7E where scalar != "\\" && scalar != "~": return UInt8(scalar.value)
        case 0xFF61...0xFF9F: return UInt8(scalar.value - 0xFF61 + 0xA1)
        default: return nil
        }
    }

    /// The character of `byte`, or nil for a byte outside the printable ranges.
    public static func scalar(_ byte: UInt8) -> Unicode.Scalar? {
        switch byte {
        case 0x20...0x7E where byte != 0x5C && byte != 0x7E: return Unicode.Scalar(byte)
        case 0xA1...0xDF: return Unicode.Scalar(UInt32(byte) - 0xA1 + 0xFF61)
        default: return nil
        }
    }

    /// The bytes of `text`, or nil when a character has no byte.
    public static func encode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard let b = byte(scalar) else { return nil }
            bytes.append(b)
        }
        return bytes
    }

    /// The text of `bytes`, or nil when a byte is not a character.
    public static func decode<Bytes: Collection>(_ bytes: Bytes) -> String? where Bytes.Element == UInt8 {
        var scalars = String.UnicodeScalarView()
        for b in bytes {
            guard let s = scalar(b) else { return nil }
            scalars.append(s)
        }
        return String(scalars)
    }
}
