import Foundation
import Testing

@testable import ControlGapKit

@Suite("Mustache values")
struct MustacheValueTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let testDescription: String
    let value: MustacheValue
    let text: String
    let isTruthy: Bool
  }

  static let cases: [Case] = [
    Case(testDescription: "a string", value: "AC-2", text: "AC-2", isTruthy: true),
    Case(testDescription: "the empty string", value: "", text: "", isTruthy: true),
    Case(testDescription: "true", value: true, text: "true", isTruthy: true),
    Case(testDescription: "false", value: false, text: "false", isTruthy: false),
    Case(testDescription: "an integer", value: -42, text: "-42", isTruthy: true),
    Case(testDescription: "zero", value: 0, text: "0", isTruthy: true),
    Case(testDescription: "a fraction", value: 0.25, text: "0.25", isTruthy: true),
    Case(testDescription: "a whole double", value: 2.0, text: "2", isTruthy: true),
    Case(testDescription: "a negative whole double", value: -7.0, text: "-7", isTruthy: true),
    Case(testDescription: "a huge double", value: 1e300, text: "1e+300", isTruthy: true),
    Case(testDescription: "null", value: nil, text: "", isTruthy: false),
    Case(testDescription: "the empty list", value: [], text: "", isTruthy: false),
    Case(testDescription: "a list of one", value: [1], text: "", isTruthy: true),
    Case(testDescription: "the empty object", value: [:], text: "", isTruthy: true),
  ]

  @Test("interpolation text and truthiness", arguments: cases)
  func textAndTruthiness(_ example: Case) throws {
    #expect(example.value.interpolationText == example.text)
    #expect(example.value.isTruthy == example.isTruthy)
    let template = try MustacheTemplate(source: "{{#v}}yes{{/v}}{{^v}}no{{/v}}", name: "t")
    let output = try template.render(["v": example.value], escape: { $0 })
    #expect(output == (example.isTruthy ? "yes" : "no"))
  }

  @Test("JSON converts to values with booleans, integers and doubles kept apart")
  func json() throws {
    let text = #"{"a": [1, 1.5, 2.0, true, false, null, "x"], "b": {"c": -3}, "d": 12345678901234}"#
    let value = try MustacheValue(jsonData: Data(text.utf8))
    #expect(
      value == [
        "a": [1, 1.5, 2.0, true, false, nil, "x"],
        "b": ["c": -3],
        "d": .int(12_345_678_901_234),
      ])
    #expect(try MustacheValue(jsonData: Data("\"top\"".utf8)) == "top")
  }

  @Test("text that is not JSON throws")
  func notJSON() {
    #expect(throws: (any Error).self) {
      try MustacheValue(jsonData: Data("{".utf8))
    }
  }

  @Test("a key looks up an object's member")
  func subscripting() {
    let value: MustacheValue = ["a": ["b": 1]]
    #expect(value["a"]?["b"] == 1)
    #expect(value["missing"] == nil)
    #expect(MustacheValue.string("a")["a"] == nil)
  }
}
