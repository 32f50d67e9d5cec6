// The `extract.sqlite` plugin: reads a table or a query's result from a SQLite file into the
// task's output dataset.
#include <string>

#include "extract_sqlite_config.h"
#include "sluice/plugin.hpp"
#include "sqlite_extract.h"

namespace sluice::sqlite {

struct ExtractSqlitePlugin {
  static constexpr const char* kName = "extract.sqlite";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr sluice_plugin_kind kKind = SLUICE_KIND_EXTRACT;
  static constexpr const char* kSummary =
      "Reads a SQLite table or query result (read-only, bound parameters) into a typed dataset";
  static constexpr const char* kConfigSchema = kExtractSqliteConfigSchema;

  static void Validate(const nlohmann::json& config, sdk::Errors& errors) {
    CheckExtractSqliteConfig(config, [&](const std::string& path, const std::string& message) {
      errors.Add(path, message);
    });
  }

  static void Run(sdk::Context& context) {
    const SqliteExtractOptions options = ParseExtractSqliteConfig(context.config());
    const std::string output = context.output_path();
    if (output.empty()) throw sdk::Failure("the host gave extract.sqlite no output path");
    const SqliteExtractStats stats = ExtractSqlite(options, output);
    context.AddRowsIn(stats.rows);
    context.AddRowsOut(stats.rows);
    context.AddBytesOut(static_cast<int64_t>(stats.bytes_out));
    if (stats.looked_ahead) {
      context.Info("ran the query twice: once to type its expression columns from their "
                   "first values; name their types in `columns` to skip that pass");
    }
    context.Info("read " + std::to_string(stats.rows) + " rows from " + options.database);
  }
};

}  // namespace sluice::sqlite

SLUICE_PLUGIN(sluice::sqlite::ExtractSqlitePlugin)
