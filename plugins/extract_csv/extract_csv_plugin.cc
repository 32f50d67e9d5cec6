// The `extract.csv` plugin: reads one CSV file into the task's output dataset.
#include <string>

#include "csv_import.h"
#include "extract_csv_config.h"
#include "sluice/plugin.hpp"

namespace sluice::csv {

struct ExtractCsvPlugin {
  static constexpr const char* kName = "extract.csv";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr sluice_plugin_kind kKind = SLUICE_KIND_EXTRACT;
  static constexpr const char* kSummary = "Reads a CSV file (RFC 4180) into a typed dataset";
  static constexpr const char* kConfigSchema = kExtractCsvConfigSchema;

  static void Validate(const nlohmann::json& config, sdk::Errors& errors) {
    CheckExtractConfig(config, [&](const std::string& path, const std::string& message) {
      errors.Add(path, message);
    });
  }

  static void Run(sdk::Context& context) {
    const CsvImportOptions options = ParseExtractConfig(context.config());
    const std::string output = context.output_path();
    if (output.empty()) throw sdk::Failure("the host gave extract.csv no output path");
    const CsvImportStats stats = ImportCsv(options, output);
    context.AddRowsIn(stats.rows);
    context.AddRowsOut(stats.rows);
    context.AddBytesOut(static_cast<int64_t>(stats.bytes_out));
    context.Info("read " + std::to_string(stats.rows) + " rows from " + options.path);
  }
};

}  // namespace sluice::csv

SLUICE_PLUGIN(sluice::csv::ExtractCsvPlugin)
