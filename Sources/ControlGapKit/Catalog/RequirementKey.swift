import Foundation

/// The form of a requirement reference used for matching, so that `pr.aa-5`, `PR.AA-05` and
/// `PR.AA-5` meet, and `GOVERN 1.1` meets `GOVERN_1.1`.
///
/// Letters are lowercased, spaces and underscores count as one separator, and leading zeros
/// of every run of digits are dropped.
public struct RequirementKey: Hashable, Sendable, CustomStringConvertible {
  public let value: String

  public init(_ reference: String) {
    var result = ""
    var digits = ""
    func flushDigits() {
      guard !digits.isEmpty else { return }
      let trimmed = digits.drop { $0 == "0" }
      result += trimmed.isEmpty ? "0" : String(trimmed)
      digits = ""
    }
    for character in reference.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() {
      if character.isASCII && character.isNumber {
        digits.append(character)
        continue
      }
      flushDigits()
      result.append(character == " " ? "_" : character)
    }
    flushDigits()
    value = result
  }

  public var description: String { value }
}
