// The `export.csv` plugin: writes an upstream dataset as a CSV file.
#include <string>

#include "csv_export.h"
#include "export_csv_config.h"
#include "sluice/plugin.hpp"

namespace sluice::csv {

struct ExportCsvPlugin {
  static constexpr const char* kName = "export.csv";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr sluice_plugin_kind kKind = SLUICE_KIND_EXPORT;
  static constexpr const char* kSummary = "Writes a dataset as a CSV file (RFC 4180), atomically";
  static constexpr const char* kConfigSchema = kExportCsvConfigSchema;

  static void Validate(const nlohmann::json& config, sdk::Errors& errors) {
    CheckExportConfig(config, [&](const std::string& path, const std::string& message) {
      errors.Add(path, message);
    });
  }

  static void Run(sdk::Context& context) {
    const nlohmann::json& config = context.config();
    const CsvExportOptions options = ParseExportConfig(config);
    const std::string input = context.InputDataset(config.value("input", std::string()));
    const CsvExportStats stats = csv::ExportCsv(input, options);
    context.AddRowsIn(stats.rows);
    context.AddRowsOut(stats.rows);
    context.AddBytesOut(static_cast<int64_t>(stats.bytes_out));
    context.Info("wrote " + std::to_string(stats.rows) + " rows to " + options.path +
                 (options.compression == Compression::kGzip ? " (gzip)" : ""));
  }
};

}  // namespace sluice::csv

SLUICE_PLUGIN(sluice::csv::ExportCsvPlugin)
