import Testing

@testable import ControlGapKit

@Suite("Pseudonymising user identifiers")
struct PseudonymiserTests {
  private func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
  }

  @Test("HMAC-SHA-256 matches RFC 4231 test case 6 (a key longer than the block)")
  func rfc4231() throws {
    // RFC 4231 test case 6: a 131-byte key of 0xaa.
    let pseudonymiser = try #require(Pseudonymiser(key: [UInt8](repeating: 0xAA, count: 131)))
    let message = Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
    #expect(
      hex(pseudonymiser.mac(message))
        == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
  }

  @Test("the same user gets the same pseudonym, another user or key another one")
  func stable() throws {
    let first = try #require(Pseudonymiser(key: Array("workspace-secret-one".utf8)))
    let second = try #require(Pseudonymiser(key: Array("workspace-secret-two".utf8)))
    let alice = first.pseudonym(for: "alice@example.test")
    #expect(alice == first.pseudonym(for: "alice@example.test"))
    #expect(alice != first.pseudonym(for: "bob@example.test"))
    #expect(alice != second.pseudonym(for: "alice@example.test"))
    #expect(alice.count == 18)
    #expect(alice.hasPrefix("u-"))
    #expect(!alice.contains("alice"))
  }

  @Test("a key shorter than 16 bytes is refused")
  func shortKey() {
    #expect(Pseudonymiser(key: Array("short".utf8)) == nil)
  }
}
