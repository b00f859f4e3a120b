import Store
import XCTest

/// SHA-256 through libcrypto, as documents and records are hashed (no database needed).
final class SHA256Tests: XCTestCase {
    func testKnownDigests() {
        // FIPS 180-2 appendix B examples.
        XCTAssertEqual(SHA256.hex([UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(
            SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testStreamedInUnevenPiecesEqualsOneShot() {
        // One million "a" fed in pieces of 1, 63, 64, 65, 4096 … bytes, as a file is read.
        var hasher = SHA256()
        let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 5000)
        var fed = 0
        var step = 0
        let sizes = [1, 63, 64, 65, 4096, 7, 5000]
        while fed < 1_000_000 {
            let n = min(sizes[step % sizes.count], 1_000_000 - fed)
            hasher.update(piece[0..<n])
            fed += n
            step += 1
        }
        let digest = hasher.finalizeHex()
        XCTAssertEqual(digest, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
