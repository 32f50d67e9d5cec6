// The `with:` configuration of export.sql: its JSON Schema, the checks the schema cannot
// express, and its translation into SqlExportOptions.
#ifndef SLUICE_PLUGINS_EXPORT_SQL_EXPORT_SQL_CONFIG_H_
#define SLUICE_PLUGINS_EXPORT_SQL_EXPORT_SQL_CONFIG_H_

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "sql_export.h"

namespace sluice::export_sql {

// "key is required for upsert" and "at most one of password_env and password_file" are checked
// by CheckExportSqlConfig rather than with if/then/not: a schema validator's message for
// those ("does not match the schema") would not tell the user what to write.
inline constexpr const char* kExportSqlConfigSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "export.sql",
  "description": "Writes an upstream dataset into a SQLite, MySQL/MariaDB or PostgreSQL table in one transaction: a failure leaves the table as it was.",
  "type": "object",
  "additionalProperties": false,
  "required": ["connection", "table"],
  "properties": {
    "connection": {
      "type": "string",
      "pattern": "^(sqlite:|mysql://|postgresql://|postgres://)",
      "description": "The database: sqlite:///absolute/path.db, sqlite:relative/path.db, mysql://user@host[:port]/database or postgresql://user@host[:port]/database (postgres:// too). Never put the password here: use password_env or password_file."
    },
    "password_env": {
      "type": "string",
      "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
      "description": "The name of an environment variable holding the password, e.g. LAKE_DB_PASSWORD. Give this or password_file (or neither, for an account without a password). Not for SQLite."
    },
    "password_file": {
      "type": "string",
      "minLength": 1,
      "description": "A file holding the password, e.g. /run/secrets/lake_db; one trailing newline is ignored. Give this or password_env. Not for SQLite."
    },
    "input": {
      "type": "string",
      "minLength": 1,
      "description": "The upstream task whose dataset to write. Default: the only upstream task that wrote a dataset."
    },
    "table": {
      "type": "string",
      "minLength": 1,
      "description": "The table to write, as table or schema.table, e.g. movimento_flat or lake.movimento_flat. Quoted as written, so the case matters in PostgreSQL."
    },
    "mode": {
      "type": "string",
      "enum": ["append", "replace", "upsert"],
      "default": "append",
      "description": "append: insert the rows; replace: empty the table (DELETE, in the same transaction) then insert; upsert: insert rows whose `key` is new and update the others. Default append."
    },
    "key": {
      "type": "array",
      "minItems": 1,
      "uniqueItems": true,
      "items": {"type": "string", "minLength": 1},
      "description": "Column names that identify a row, e.g. [id]. Required for upsert, where the table needs a primary key or unique index on exactly these columns; when export.sql creates the table, they become its primary key."
    },
    "create": {
      "type": "boolean",
      "default": true,
      "description": "Create the table from the dataset's columns when it does not exist. Default true; with false, a missing table fails the task."
    },
    "batch_rows": {
      "type": "integer",
      "minimum": 1,
      "maximum": 100000,
      "default": 1000,
      "description": "Rows per multi-row INSERT statement. Default 1000; lowered automatically to stay within the database's limit of bound parameters per statement (and MySQL's max_allowed_packet)."
    }
  }
})json";

/// Receives one problem: a JSON pointer into the configuration and a message.
using ConfigProblem = std::function<void(const std::string& path, const std::string& message)>;

/// Reports what the JSON Schema cannot check: a malformed connection or one holding a
/// password, a password setting for SQLite or both of them at once, a bad table name, upsert
/// without `key`, key names no database accepts.
void CheckExportSqlConfig(const nlohmann::json& config, const ConfigProblem& report);

/// REQUIRES: `config` passed the schema. Throws sdk::Failure for the first problem that
/// CheckExportSqlConfig would report.
SqlExportOptions ParseExportSqlConfig(const nlohmann::json& config);

}  // namespace sluice::export_sql

#endif  // SLUICE_PLUGINS_EXPORT_SQL_EXPORT_SQL_CONFIG_H_
