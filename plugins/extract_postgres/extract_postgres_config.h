// The `with:` configuration of extract.postgres: its JSON Schema, the checks the schema
// cannot express, and its translation into ExtractOptions.
#ifndef SLUICE_PLUGINS_EXTRACT_POSTGRES_EXTRACT_POSTGRES_CONFIG_H_
#define SLUICE_PLUGINS_EXTRACT_POSTGRES_EXTRACT_POSTGRES_CONFIG_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "connection_url.h"
#include "password.h"
#include "sluice/dataset.hpp"

namespace sluice::postgres {

inline constexpr const char* kExtractPostgresConfigSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "extract.postgres",
  "description": "Reads a PostgreSQL table or query result into the task's dataset, streaming.",
  "type": "object",
  "additionalProperties": false,
  "required": ["connection"],
  "properties": {
    "connection": {
      "type": "string",
      "pattern": "^postgres(ql)?://",
      "description": "Where to connect: postgresql://user@host[:port]/database (also postgres://). No password here; a socket folder is written %2Frun%2Fpostgresql; allowed parameters: ?sslmode=, connect_timeout=, application_name=."
    },
    "password_env": {
      "type": "string",
      "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
      "description": "The name of the environment variable that holds the password, e.g. CONDO_PG_PASSWORD."
    },
    "password_file": {
      "type": "string",
      "minLength": 1,
      "description": "A file that holds the password, e.g. /run/secrets/pg; one trailing line break is ignored."
    },
    "table": {
      "type": "string",
      "minLength": 1,
      "description": "The table to read whole: table or schema.table, spelt as stored (names are matched exactly, case included)."
    },
    "query": {
      "type": "string",
      "minLength": 1,
      "description": "One SELECT statement whose result becomes the dataset. Refer to `params` as $1, $2, ...; never paste templates into it."
    },
    "params": {
      "type": "array",
      "description": "Values bound to $1, $2, ... of `query` (templates such as \"{{ data_interval_start }}\" are rendered first); never pasted into the SQL. null binds SQL NULL.",
      "items": {"type": ["string", "number", "boolean", "null"]}
    },
    "columns": {
      "type": "array",
      "minItems": 1,
      "description": "Type overrides for result columns, by name; other columns keep the type their PostgreSQL type maps to.",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["name", "type"],
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1,
            "description": "A column of the result, as the result names it."
          },
          "type": {
            "type": "string",
            "pattern": "^(string|int64|float64|bool|date|timestamp|decimal\\([0-9]+,[0-9]+\\))$",
            "description": "use string, int64, float64, bool, date, timestamp or decimal(P,S) with precision P <= 18, e.g. decimal(12,2)"
          }
        }
      }
    }
  }
})json";
// "Exactly one of table and query", "not both password settings" and "params only with a
// query" are left to CheckExtractPostgresConfig: valijson reports oneOf/not/dependencies as
// "Failed to validate against child schema #0", which tells a user nothing.

/// Everything one extraction needs, taken from a configuration that passed the checks.
struct ExtractOptions {
  ConnectionTarget target;
  PasswordSource password;
  std::string sql;  ///< the query, or SELECT * FROM the quoted table
  std::vector<std::optional<std::string>> params;  ///< nullopt binds NULL
  std::vector<dataset::Column> declared;           ///< the `columns` overrides
  std::string source;  ///< what was read, for log lines: "table x" or "query"
};

/// Receives one problem: a JSON pointer into the configuration and a message.
using ConfigProblem = std::function<void(const std::string& path, const std::string& message)>;

/// Reports what the JSON Schema cannot check, or checks less readably: the URL, the table
/// name, table versus query, both password settings, templates pasted into `query`, column
/// types and duplicate names. Settings that still hold templates ({{ }}) are checked only
/// where templates cannot change the verdict.
void CheckExtractPostgresConfig(const nlohmann::json& config, const ConfigProblem& report);

/// REQUIRES: `config` passed the schema. Throws sdk::Failure for the first problem that
/// CheckExtractPostgresConfig would report.
ExtractOptions ParseExtractPostgresConfig(const nlohmann::json& config);

}  // namespace sluice::postgres

#endif  // SLUICE_PLUGINS_EXTRACT_POSTGRES_EXTRACT_POSTGRES_CONFIG_H_
