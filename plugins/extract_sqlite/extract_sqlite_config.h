// The `with:` configuration of extract.sqlite: its JSON Schema, the checks the schema cannot
// express, and its translation into SqliteExtractOptions.
#ifndef SLUICE_PLUGINS_EXTRACT_SQLITE_EXTRACT_SQLITE_CONFIG_H_
#define SLUICE_PLUGINS_EXTRACT_SQLITE_EXTRACT_SQLITE_CONFIG_H_

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "sqlite_extract.h"

namespace sluice::sqlite {

// "Exactly one of table and query" is checked by CheckExtractSqliteConfig rather than with
// oneOf: a schema validator can only say "matches not exactly one subschema".
inline constexpr const char* kExtractSqliteConfigSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "extract.sqlite",
  "description": "Reads a table or the result of one SELECT from a SQLite database file into the task's dataset.",
  "type": "object",
  "additionalProperties": false,
  "required": ["database"],
  "properties": {
    "database": {
      "type": "string",
      "minLength": 1,
      "description": "The SQLite database file. It is opened read-only and must exist: it is never created."
    },
    "table": {
      "type": "string",
      "minLength": 1,
      "description": "A table (or view) to read whole, as SELECT * FROM it. Give either `table` or `query`."
    },
    "query": {
      "type": "string",
      "minLength": 1,
      "description": "One SELECT statement whose result becomes the dataset. Write ? where a value goes and list the values in `params`. Give either `table` or `query`."
    },
    "params": {
      "type": "array",
      "items": {"type": ["string", "number", "boolean", "null"]},
      "description": "Values bound to the query's ?s, in order (never pasted into the SQL). Templates such as \"{{ data_interval_start }}\" are rendered first."
    },
    "columns": {
      "type": "array",
      "minItems": 1,
      "description": "Types for some result columns, by name, overriding the declared type (or, for expressions, the type of the first value).",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["name", "type"],
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1,
            "description": "A column of the result, as the query names it."
          },
          "type": {
            "type": "string",
            "pattern": "^(string|int64|float64|bool|date|timestamp|decimal\\([0-9]+,[0-9]+\\))$",
            "description": "use string, int64, float64, bool, date, timestamp or decimal(P,S) with precision P <= 18, e.g. decimal(10,2)"
          }
        }
      }
    }
  }
})json";

using ConfigProblem = std::function<void(const std::string& path, const std::string& message)>;

/// Reports what the JSON Schema cannot check: both or neither of `table` and `query`,
/// `params` without a query, bad decimal precision or scale, duplicate column names.
void CheckExtractSqliteConfig(const nlohmann::json& config, const ConfigProblem& report);

/// REQUIRES: `config` passed the schema. Throws sdk::Failure for the first problem that
/// CheckExtractSqliteConfig would report.
SqliteExtractOptions ParseExtractSqliteConfig(const nlohmann::json& config);

}  // namespace sluice::sqlite

#endif  // SLUICE_PLUGINS_EXTRACT_SQLITE_EXTRACT_SQLITE_CONFIG_H_
