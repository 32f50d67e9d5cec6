// The `export.sql` plugin: writes an upstream dataset into a database table.
#include <cstdio>
#include <memory>
#include <string>

#include "database.h"
#include "export_sql_config.h"
#include "sluice/password.hpp"
#include "sluice/plugin.hpp"
#include "sql_export.h"

namespace sluice::export_sql {
namespace {

const char* ModeName(WriteMode mode) {
  switch (mode) {
    case WriteMode::kAppend: return "append";
    case WriteMode::kReplace: return "replace";
    case WriteMode::kUpsert: return "upsert";
  }
  return "";
}

// Every message leaves the plugin through here, so the password never reaches a log or the
// UI even if a server or driver message were to quote it.
std::string Scrubbed(std::string text, const std::string& password) {
  if (password.empty()) return text;
  for (size_t at = text.find(password); at != std::string::npos;
       at = text.find(password, at)) {
    text.replace(at, password.size(), "***");
  }
  return text;
}

}  // namespace

struct ExportSqlPlugin {
  static constexpr const char* kName = "export.sql";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr sluice_plugin_kind kKind = SLUICE_KIND_EXPORT;
  static constexpr const char* kSummary =
      "Writes a dataset into a SQLite, MySQL/MariaDB or PostgreSQL table in one transaction";
  static constexpr const char* kConfigSchema = kExportSqlConfigSchema;

  static void Validate(const nlohmann::json& config, sdk::Errors& errors) {
    CheckExportSqlConfig(config, [&](const std::string& path, const std::string& message) {
      errors.Add(path, message);
    });
  }

  static void Run(sdk::Context& context) {
    const SqlExportOptions options = ParseExportSqlConfig(context.config());
    const std::string input = context.InputDataset(options.input);
    const std::string password = sdk::ReadPassword(options.password_env, options.password_file);
    try {
      const std::unique_ptr<Database> database = OpenDatabase(options.target, password);
      const SqlExportStats stats = ExportSql(input, options, *database);
      context.AddRowsIn(stats.rows_in);
      context.AddRowsOut(stats.rows_out);
      context.AddBytesOut(static_cast<int64_t>(stats.bytes_out));
      const double rate = stats.seconds > 0 ? static_cast<double>(stats.rows_out) / stats.seconds
                                            : 0;
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%.2f", stats.seconds);
      context.Info(Scrubbed(
          "wrote " + std::to_string(stats.rows_out) + " rows into table " +
              options.table.Display() + " (" + ModeName(options.mode) +
              (stats.created ? ", table created" : "") + ") in " + options.target.Display() +
              " in " + seconds + " s: " + std::to_string(static_cast<int64_t>(rate)) +
              " rows/s, " + std::to_string(stats.batch_rows) + " rows per INSERT",
          password));
    } catch (const sdk::Failure& e) {
      throw sdk::Failure(Scrubbed(e.what(), password), e.config_path());
    } catch (const std::exception& e) {
      throw sdk::Failure(Scrubbed(e.what(), password));
    }
  }
};

}  // namespace sluice::export_sql

SLUICE_PLUGIN(sluice::export_sql::ExportSqlPlugin)
