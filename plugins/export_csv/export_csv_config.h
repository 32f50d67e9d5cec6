// The `with:` configuration of export.csv: its JSON Schema, the checks the schema cannot
// express, and its translation into CsvExportOptions.
#ifndef SLUICE_PLUGINS_EXPORT_CSV_EXPORT_CSV_CONFIG_H_
#define SLUICE_PLUGINS_EXPORT_CSV_EXPORT_CSV_CONFIG_H_

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "csv_export.h"

namespace sluice::csv {

inline constexpr const char* kExportCsvConfigSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "export.csv",
  "description": "Writes an upstream dataset as one CSV file (RFC 4180, UTF-8), replacing the file only once it is complete.",
  "type": "object",
  "additionalProperties": false,
  "required": ["path"],
  "properties": {
    "path": {
      "type": "string",
      "minLength": 1,
      "description": "The CSV file to write. Missing parent folders are created; an existing file is replaced only when the export succeeds."
    },
    "input": {
      "type": "string",
      "minLength": 1,
      "description": "The upstream task whose dataset to write. Default: the only upstream task that wrote a dataset."
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
      "description": "Whether to write the column names as the first line. Default true."
    },
    "null": {
      "type": "string",
      "default": "",
      "description": "Text written for null values. Default empty; an empty string value is then written as \"\" to stay distinct."
    },
    "line_ending": {
      "type": "string",
      "enum": ["lf", "crlf"],
      "default": "lf",
      "description": "Line end after each record: lf (Unix) or crlf (RFC 4180, Windows). Default lf."
    },
    "columns": {
      "type": "array",
      "minItems": 1,
      "items": {"type": "string", "minLength": 1},
      "description": "The dataset columns to write, in this order, e.g. [nome, vlr_transacao]. Default: every column in the dataset's order."
    },
    "compression": {
      "type": "string",
      "enum": ["none", "gzip"],
      "description": "none or gzip. Default: gzip when `path` ends in .gz, otherwise none."
    },
    "compression_level": {
      "type": "integer",
      "minimum": 1,
      "maximum": 9,
      "default": 1,
      "description": "gzip level, 1 (fastest) to 9 (smallest). Default 1: about 2.5 times faster than gzip's usual 6 for files about 30% larger."
    }
  }
})json";

using ConfigProblem = std::function<void(const std::string& path, const std::string& message)>;

/// Reports what the JSON Schema cannot check: a multi-byte or quote/newline delimiter, a
/// column listed twice in `columns`.
void CheckExportConfig(const nlohmann::json& config, const ConfigProblem& report);

/// REQUIRES: `config` passed the schema. Throws sdk::Failure for the first problem that
/// CheckExportConfig would report.
CsvExportOptions ParseExportConfig(const nlohmann::json& config);

}  // namespace sluice::csv

#endif  // SLUICE_PLUGINS_EXPORT_CSV_EXPORT_CSV_CONFIG_H_
