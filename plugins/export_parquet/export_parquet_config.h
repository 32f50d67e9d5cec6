// The `with:` configuration of export.parquet: its JSON Schema, the checks the schema cannot
// express, and its translation into ParquetExportOptions.
#ifndef SLUICE_PLUGINS_EXPORT_PARQUET_EXPORT_PARQUET_CONFIG_H_
#define SLUICE_PLUGINS_EXPORT_PARQUET_EXPORT_PARQUET_CONFIG_H_

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "parquet_export.h"

namespace sluice::parquet {

inline constexpr const char* kExportParquetConfigSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "export.parquet",
  "description": "Writes an upstream dataset as one Parquet file (every column OPTIONAL, dictionary-encoded strings, compressed pages), replacing the file only once it is complete.",
  "type": "object",
  "additionalProperties": false,
  "required": ["path"],
  "properties": {
    "path": {
      "type": "string",
      "minLength": 1,
      "description": "The Parquet file to write, e.g. \"{{ params.output_dir }}/gold.parquet\". Missing parent folders are created; an existing file is replaced only when the export succeeds."
    },
    "input": {
      "type": "string",
      "minLength": 1,
      "description": "The upstream task whose dataset to write. Default: the only upstream task that wrote a dataset."
    },
    "compression": {
      "type": "string",
      "enum": ["zstd", "snappy", "gzip", "none"],
      "default": "zstd",
      "description": "Page compression: zstd (small and fast, read by every current Parquet reader), snappy (for older readers), gzip (widest support, slowest) or none. Default zstd."
    },
    "row_group_rows": {
      "type": "integer",
      "minimum": 1,
      "default": 1000000,
      "description": "Rows per row group (the last one may have fewer). Readers parallelise and skip by row group; larger groups compress better but need more memory to write and read. Default 1000000."
    }
  }
})json";

using ConfigProblem = std::function<void(const std::string& path, const std::string& message)>;

/// Reports what the JSON Schema cannot check: a `path` that names a folder.
void CheckExportConfig(const nlohmann::json& config, const ConfigProblem& report);

/// REQUIRES: `config` passed the schema. Throws sdk::Failure for the first problem that
/// CheckExportConfig would report.
ParquetExportOptions ParseExportConfig(const nlohmann::json& config);

}  // namespace sluice::parquet

#endif  // SLUICE_PLUGINS_EXPORT_PARQUET_EXPORT_PARQUET_CONFIG_H_
