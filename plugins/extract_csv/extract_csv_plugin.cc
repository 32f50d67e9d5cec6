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

  // "id int64, amount decimal(18,2)"
  static std::string Describe(const dataset::Schema& schema) {
    std::string text;
    for (const dataset::Column& column : schema) {
      text += (text.empty() ? "" : ", ") + column.name + " " + dataset::TypeName(column);
    }
    return text;
  }

  static void Run(sdk::Context& context) {
    const CsvImportOptions options = ParseExtractConfig(context.config());
    const std::string output = context.output_path();
    if (output.empty()) throw sdk::Failure("the host gave extract.csv no output path");
    const CsvImportStats stats = ImportCsv(options, output);
    context.AddRowsIn(stats.rows);
    context.AddRowsOut(stats.rows - stats.rejected);
    context.AddBytesOut(static_cast<int64_t>(stats.bytes_out));
    if (options.infer_sample_rows) context.Info("inferred columns: " + Describe(stats.schema));
    if (options.reject_path) {
      const std::string message = "rejected " + std::to_string(stats.rejected) + " of " +
                                  std::to_string(stats.rows) + " records into " +
                                  *options.reject_path;
      stats.rejected > 0 ? context.Warn(message) : context.Info(message);
    }
    context.Info("read " + std::to_string(stats.rows) + " rows from " + options.path);
  }
};

}  // namespace sluice::csv

SLUICE_PLUGIN(sluice::csv::ExtractCsvPlugin)
