// The `with:` configuration of extract.mysql: its JSON Schema, the checks the schema cannot
// express, and its translation into MysqlExtractOptions.
#ifndef SLUICE_PLUGINS_EXTRACT_MYSQL_EXTRACT_MYSQL_CONFIG_H_
#define SLUICE_PLUGINS_EXTRACT_MYSQL_EXTRACT_MYSQL_CONFIG_H_

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "mysql_extract.h"

namespace sluice::mysql {

// "Exactly one of table and query" and "at most one of password_env and password_file" are
// checked by CheckExtractMysqlConfig rather than with oneOf/not: a schema validator can only
// say "matches not exactly one subschema".
inline constexpr const char* kExtractMysqlConfigSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "extract.mysql",
  "description": "Reads a table or the result of one SELECT from MySQL or MariaDB into the task's dataset, streaming.",
  "type": "object",
  "additionalProperties": false,
  "required": ["connection"],
  "properties": {
    "connection": {
      "type": "string",
      "pattern": "^mysql://|\\{\\{|\\$\\{",
      "description": "Where and as whom to connect: mysql://user@host[:port]/database (port 3306 by default), or a template such as \"{{ params.mysql_url }}\" that renders to one. Never put the password here: use password_env or password_file."
    },
    "password_env": {
      "type": "string",
      "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
      "description": "The name of an environment variable holding the password, e.g. SICOOP_MYSQL_PASSWORD. Give this or password_file (or neither, for an account without a password)."
    },
    "password_file": {
      "type": "string",
      "minLength": 1,
      "description": "A file holding the password, e.g. /run/secrets/mysql; one trailing newline is ignored. Give this or password_env."
    },
    "table": {
      "type": "string",
      "minLength": 1,
      "description": "A table (or view) to read whole, as SELECT * FROM it: a name such as movimento or sicoop.movimento. Give either `table` or `query`."
    },
    "query": {
      "type": "string",
      "minLength": 1,
      "description": "One SELECT statement whose result becomes the dataset. Write ? where a value goes and list the values in `params`. Give either `table` or `query`."
    },
    "params": {
      "type": "array",
      "items": {"type": ["string", "number", "boolean", "null"]},
      "description": "Values bound to the query's ?s, in order (sent to the server as values, never pasted into the SQL). Templates such as \"{{ data_interval_start }}\" are rendered first."
    },
    "columns": {
      "type": "array",
      "minItems": 1,
      "description": "Types for some result columns, by name, overriding the type inferred from the server's metadata.",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["name", "type"],
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1,
            "description": "A column of the result, as the query names it (its alias, if any)."
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

/// Receives one problem: a JSON pointer into the configuration and a message.
using ConfigProblem = std::function<void(const std::string& path, const std::string& message)>;

/// Whether the configuration's values may still hold templates (`{{ ... }}`, `${VAR}`):
/// `sluice dags validate` checks the DAG file as written, a run checks the rendered values.
enum class Templates { kUnrendered, kRendered };

/// Reports what the JSON Schema cannot check: a malformed connection URL or one holding a
/// password, both or neither of `table` and `query`, an unsafe table name, `params` without
/// a query or not matching the query's ?s, both password settings, bad decimal types and
/// duplicate column names. With Templates::kUnrendered, a connection or table holding a
/// template is left for the run to check once rendered.
void CheckExtractMysqlConfig(const nlohmann::json& config, Templates templates,
                             const ConfigProblem& report);

/// REQUIRES: `config` passed the schema. Throws sdk::Failure for the first problem that
/// CheckExtractMysqlConfig would report.
MysqlExtractOptions ParseExtractMysqlConfig(const nlohmann::json& config);

}  // namespace sluice::mysql

#endif  // SLUICE_PLUGINS_EXTRACT_MYSQL_EXTRACT_MYSQL_CONFIG_H_
