// The `with:` configuration of transform: its JSON Schema, the checks the schema cannot
// express (expression syntax, names, types of casts), and its translation into step specs.
#ifndef SLUICE_PLUGINS_TRANSFORM_TRANSFORM_CONFIG_H_
#define SLUICE_PLUGINS_TRANSFORM_TRANSFORM_CONFIG_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace sluice::transform {

inline constexpr const char* kTransformConfigSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "transform",
  "description": "Applies steps (filter, derive, select, rename, drop, cast, dedupe) in order to one upstream dataset and writes the result as the task's dataset.",
  "type": "object",
  "additionalProperties": false,
  "required": ["steps"],
  "properties": {
    "input": {
      "type": "string",
      "minLength": 1,
      "description": "The upstream task whose dataset to transform. Default: the only upstream task that wrote a dataset."
    },
    "steps": {
      "type": "array",
      "description": "The steps, applied in order; each is a mapping with one key naming its kind.",
      "items": {
        "type": "object",
        "minProperties": 1,
        "maxProperties": 1,
        "additionalProperties": false,
        "properties": {
          "filter": {
            "type": "string",
            "minLength": 1,
            "description": "Keeps the rows where this condition is true (not false, not null), e.g. \"valor > 0 and status in ('A', 'B')\"."
          },
          "derive": {
            "description": "Adds or replaces columns: \"name = expression\", or a list of them evaluated in order (a later one may use an earlier one). A new name is added at the end; an existing one is replaced in place.",
            "oneOf": [
              {"type": "string", "minLength": 1},
              {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}
            ]
          },
          "select": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": true,
            "items": {"type": "string", "minLength": 1},
            "description": "Keeps only these columns, in this order."
          },
          "rename": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {"type": "string", "minLength": 1},
            "description": "Renames columns: {old_name: new_name, ...}."
          },
          "drop": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": true,
            "items": {"type": "string", "minLength": 1},
            "description": "Removes these columns."
          },
          "cast": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {
              "type": "string",
              "pattern": "^(string|int64|float64|bool|date|timestamp|decimal\\([0-9]+,[0-9]+\\))$"
            },
            "description": "Converts columns in place: {column: type, ...} with types string, int64, float64, bool, date, timestamp or decimal(P,S) (P <= 18). A value that does not convert fails the task naming its row."
          },
          "dedupe": {
            "description": "Removes repeated rows, keeping the first: true compares whole rows, a list of columns compares only those (the key); false does nothing.",
            "oneOf": [
              {"type": "boolean"},
              {"type": "array", "minItems": 1, "uniqueItems": true, "items": {"type": "string", "minLength": 1}}
            ]
          }
        }
      }
    }
  }
})json";

enum class StepKind { kFilter, kDerive, kSelect, kRename, kDrop, kCast, kDedupe };

/// A piece of configuration text and the JSON pointer where it was written.
struct ConfigText {
  std::string text;
  std::string pointer;
};

struct StepSpec {
  StepKind kind = StepKind::kFilter;
  std::string pointer;  ///< "/steps/2"
  /// filter: one condition; derive: "name = expression" items; select, drop and dedupe:
  /// column names.
  std::vector<ConfigText> items;
  /// rename: old name (at its pointer) -> new name; cast: column -> type name.
  std::vector<std::pair<ConfigText, std::string>> pairs;
};

struct TransformConfig {
  std::string input;  ///< empty: the only upstream dataset
  std::vector<StepSpec> steps;
};

using ConfigProblem = std::function<void(const std::string& path, const std::string& message)>;

/// Reports every problem found without the input's schema: malformed steps, expressions that
/// do not parse (with a caret), unknown functions, bad type names, duplicate new names.
/// Templates ({{ ds }}) may still be unrendered.
void CheckTransformConfig(const nlohmann::json& config, const ConfigProblem& report);

/// Throws sdk::Failure for the first problem CheckTransformConfig would report.
TransformConfig ParseTransformConfig(const nlohmann::json& config);

}  // namespace sluice::transform

#endif  // SLUICE_PLUGINS_TRANSFORM_TRANSFORM_CONFIG_H_
