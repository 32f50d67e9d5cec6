// The `export.parquet` plugin: writes an upstream dataset as a Parquet file.
#include <string>

#include "export_parquet_config.h"
#include "parquet_export.h"
#include "sluice/plugin.hpp"

namespace sluice::parquet {

struct ExportParquetPlugin {
  static constexpr const char* kName = "export.parquet";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr sluice_plugin_kind kKind = SLUICE_KIND_EXPORT;
  static constexpr const char* kSummary =
      "Writes a dataset as a Parquet file (zstd, snappy or gzip pages), atomically";
  static constexpr const char* kConfigSchema = kExportParquetConfigSchema;

  static void Validate(const nlohmann::json& config, sdk::Errors& errors) {
    CheckExportConfig(config, [&](const std::string& path, const std::string& message) {
      errors.Add(path, message);
    });
  }

  static void Run(sdk::Context& context) {
    const nlohmann::json& config = context.config();
    ParquetExportOptions options = ParseExportConfig(config);
    options.writer.created_by = std::string("sluice ") + kName + " " + kVersion;
    const std::string input = context.InputDataset(config.value("input", std::string()));
    const ParquetExportStats stats = ExportParquet(input, options);
    context.AddRowsIn(stats.rows);
    context.AddRowsOut(stats.rows);
    context.AddBytesOut(static_cast<int64_t>(stats.bytes_out));
    context.Info("wrote " + std::to_string(stats.rows) + " rows in " +
                 std::to_string(stats.row_groups) + " row groups to " + options.path);
  }
};

}  // namespace sluice::parquet

SLUICE_PLUGIN(sluice::parquet::ExportParquetPlugin)
