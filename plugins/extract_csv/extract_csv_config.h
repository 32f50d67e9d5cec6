// The `with:` configuration of extract.csv: its JSON Schema, the checks the schema cannot
// express, and its translation into CsvImportOptions.
#ifndef SLUICE_PLUGINS_EXTRACT_CSV_EXTRACT_CSV_CONFIG_H_
#define SLUICE_PLUGINS_EXTRACT_CSV_EXTRACT_CSV_CONFIG_H_

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "csv_import.h"

namespace sluice::csv {

inline constexpr const char* kExtractCsvConfigSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "extract.csv",
  "description": "Reads one CSV file (RFC 4180, UTF-8) into the task's dataset.",
  "type": "object",
  "additionalProperties": false,
  "required": ["path"],
  "properties": {
    "path": {
      "type": "string",
      "minLength": 1,
      "description": "The CSV file to read. A UTF-8 byte order mark is skipped."
    },
    "delimiter": {
      "type": "string",
      "minLength": 1,
      "maxLength": 1,
      "default": ",",
      "description": "The one ASCII character between fields, e.g. \";\" or \"\\t\". Default \",\"."
    },
    "header": {
      "type": "boolean",
      "default": true,
      "description": "Whether the first line names the columns. Default true. Without a header, columns are named c1, c2, ... unless declared in `columns`."
    },
    "columns": {
      "type": "array",
      "minItems": 1,
      "description": "Every column of the file, in order, with its type. When absent every column is a string. With a header, the names must match it.",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["name", "type"],
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1,
            "description": "The column's name in the dataset."
          },
          "type": {
            "type": "string",
            "pattern": "^(string|int64|float64|bool|date|timestamp|decimal\\([0-9]+,[0-9]+\\))$",
            "description": "use string, int64, float64, bool, date, timestamp or decimal(P,S) with precision P <= 18, e.g. decimal(12,2)"
          }
        }
      }
    },
    "infer": {
      "description": "Without `columns`: type each column from the first 1000 records (true), or from the first N ({sample_rows: N}), as the narrowest of int64, decimal, float64, date, timestamp, bool, string that fits every value. Default false: every column is a string.",
      "oneOf": [
        {"type": "boolean"},
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["sample_rows"],
          "properties": {
            "sample_rows": {
              "type": "integer",
              "minimum": 1,
              "description": "How many records (after the header) to look at."
            }
          }
        }
      ]
    },
    "on_error": {
      "type": "string",
      "enum": ["fail", "reject"],
      "default": "fail",
      "description": "What a bad record (wrong field count, a value that does not parse, invalid UTF-8) does: fail the task (default), or reject it into `reject_path` and go on."
    },
    "reject_path": {
      "type": "string",
      "minLength": 1,
      "description": "With on_error: reject, the CSV file (columns line, error, record) that receives the rejected records. Written atomically."
    },
    "max_rejects": {
      "type": "integer",
      "minimum": 0,
      "description": "With on_error: reject, fail the task once more than this many records were rejected. Default: no limit."
    }
  }
})json";

/// Receives one problem: a JSON pointer into the configuration and a message.
using ConfigProblem = std::function<void(const std::string& path, const std::string& message)>;

/// Reports what the JSON Schema cannot check: a multi-byte or quote/newline delimiter, bad
/// decimal precision or scale, duplicate column names, `infer` beside `columns`, and reject
/// settings that do not go together.
void CheckExtractConfig(const nlohmann::json& config, const ConfigProblem& report);

/// REQUIRES: `config` passed the schema. Throws sdk::Failure for the first problem that
/// CheckExtractConfig would report.
CsvImportOptions ParseExtractConfig(const nlohmann::json& config);

}  // namespace sluice::csv

#endif  // SLUICE_PLUGINS_EXTRACT_CSV_EXTRACT_CSV_CONFIG_H_
