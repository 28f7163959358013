/// The words after the subcommand, split into options and positional arguments.
///
/// Options take the forms `--name value`, `--name=value` and `--flag`; `--` ends options.
/// Only names the command declares are accepted, so a typo is a usage error, not a silent
/// no-op.
struct CommandLineArguments {
  var positionals: [String] = []
  private var values: [String: [String]] = [:]
  private var flags: Set<String> = []

  struct UsageError: Error, Equatable {
    var message: String
  }

  /// - Parameters:
  ///   - words: The arguments after the subcommand.
  ///   - valued: Options that take a value.
  ///   - flags: Options that take none.
  ///   - repeatable: Valued options that may be given more than once; any other given twice is
  ///     a usage error, since which of the two was meant cannot be known.
  init(
    _ words: [String], valued: Set<String>, flags known: Set<String>,
    repeatable: Set<String> = ["--catalog"]
  ) throws {
    var index = 0
    var optionsEnded = false
    while index < words.count {
      let word = words[index]
      index += 1
      if optionsEnded || !word.hasPrefix("-") || word == "-" {
        guard !word.isEmpty else { throw UsageError(message: "an argument is empty") }
        positionals.append(word)
        continue
      }
      if word == "--" {
        optionsEnded = true
        continue
      }
      var name = word
      var inlineValue: String?
      if let equals = word.firstIndex(of: "=") {
        name = String(word[..<equals])
        inlineValue = String(word[word.index(after: equals)...])
      }
      if known.contains(name) {
        guard inlineValue == nil else {
          throw UsageError(message: "option '\(name)' takes no value")
        }
        flags.insert(name)
      } else if valued.contains(name) {
        let value: String
        if let inlineValue {
          value = inlineValue
        } else {
          guard index < words.count else {
            throw UsageError(message: "option '\(name)' needs a value")
          }
          value = words[index]
          index += 1
        }
        guard !value.isEmpty else {
          throw UsageError(message: "option '\(name)' needs a value")
        }
        guard values[name] == nil || repeatable.contains(name) else {
          throw UsageError(message: "option '\(name)' is given more than once")
        }
        values[name, default: []].append(value)
      } else {
        throw UsageError(message: "unknown option '\(name)'")
      }
    }
  }

  func has(_ flag: String) -> Bool { flags.contains(flag) }

  /// The value given for an option.
  func value(_ name: String) -> String? { values[name]?.last }

  /// Every value given for a repeatable option, in order.
  func all(_ name: String) -> [String] { values[name] ?? [] }
}
