import Testing

@testable import ControlGapKit

@Suite("Interned field values")
struct StringInternerTests {
  static func string(_ interner: inout StringInterner, _ text: String) -> String {
    Array(text.utf8).withUnsafeBytes { interner.string(for: $0) }
  }

  @Test("gives back the text it is given, short or long, new or seen")
  func values() {
    var interner = StringInterner()
    let texts = ["", "a", "café", "exactly-15-byte", "user00042@example.com", "😀 long enough text"]
    for round in 0..<3 {
      for text in texts {
        #expect(Self.string(&interner, text) == text, "round \(round)")
      }
    }
  }

  @Test("keeps finding values after the table has grown")
  func growth() {
    var interner = StringInterner()
    let texts = (0..<5000).map { "user\($0)@example.com" }
    for text in texts {
      _ = Self.string(&interner, text)
    }
    #expect(texts.allSatisfy { Self.string(&interner, $0) == $0 })
  }

  @Test("decodes values past its capacity without keeping them")
  func capacity() {
    var interner = StringInterner(capacity: 2)
    let texts = (0..<10).map { "a value longer than fifteen bytes \($0)" }
    #expect(texts.map { Self.string(&interner, $0) } == texts)
    #expect(texts.map { Self.string(&interner, $0) } == texts)
  }
}
