// The `with:` configuration of join: its JSON Schema, the checks the schema cannot express
// (aliases, `on` and `select` syntax and references), and its translation into a JoinSpec.
#ifndef SLUICE_PLUGINS_JOIN_JOIN_CONFIG_H_
#define SLUICE_PLUGINS_JOIN_JOIN_CONFIG_H_

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "join_spec.h"

namespace sluice::join {

inline constexpr const char* kJoinConfigSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "join",
  "description": "Hash-joins several upstream datasets in one task, left-deep like SQL: `from` joined with each `join` entry in turn.",
  "type": "object",
  "additionalProperties": false,
  "required": ["from", "join"],
  "properties": {
    "from": {
      "type": "object",
      "additionalProperties": false,
      "required": ["input"],
      "description": "The first (left) input; it is streamed, and inner and left joins keep its row order.",
      "properties": {
        "input": {"type": "string", "minLength": 1, "description": "The upstream task whose dataset this is; it must be in depends_on."},
        "as": {"type": "string", "minLength": 1, "description": "The alias that `on` and `select` use for this input, e.g. m. Default: the task id."}
      }
    },
    "join": {
      "type": "array",
      "minItems": 1,
      "description": "The inputs joined to the result so far, in order. A hash table is built on each of them.",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["input", "on"],
        "properties": {
          "input": {"type": "string", "minLength": 1, "description": "The upstream task whose dataset this is; it must be in depends_on."},
          "as": {"type": "string", "minLength": 1, "description": "The alias that `on` and `select` use for this input, e.g. c. Default: the task id."},
          "type": {"type": "string", "enum": ["inner", "left", "right", "full"], "default": "inner", "description": "inner (default): only matching rows; left: every row so far, nulls where this input has no match; right: every row of this input; full: both."},
          "on": {"type": "string", "minLength": 1, "description": "Equalities joined by `and`, each between a column of this input and a column of an input joined earlier, e.g. \"m.id_cartao = c.id and m.y = c.y\". Null keys never match."}
        }
      }
    },
    "select": {
      "type": "array",
      "minItems": 1,
      "items": {"type": "string", "minLength": 1},
      "description": "Output columns in order: \"alias.column\", \"alias.column as name\" or \"alias.*\" (every column of that input). Default: every column of every input; a name already taken becomes alias_name."
    }
  }
})json";

/// Receives one problem: a JSON pointer into the configuration and a message.
using ConfigProblem = std::function<void(const std::string& path, const std::string& message)>;

/// Reports what the JSON Schema cannot check: aliases that are not names or are used twice,
/// `on` and `select` that do not parse or name unknown (or later) aliases, duplicate output
/// names. Text holding a template (`{{ ... }}`) is not checked, since it is not yet rendered.
void CheckJoinConfig(const nlohmann::json& config, const ConfigProblem& report);

/// REQUIRES: `config` passed the schema. Throws sdk::Failure for the first problem that
/// CheckJoinConfig would report.
JoinSpec ParseJoinConfig(const nlohmann::json& config);

}  // namespace sluice::join

#endif  // SLUICE_PLUGINS_JOIN_JOIN_CONFIG_H_
