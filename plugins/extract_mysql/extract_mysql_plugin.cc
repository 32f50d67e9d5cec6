// The `extract.mysql` plugin: reads a MySQL/MariaDB table or query into the task's dataset.
#include <cstdio>
#include <string>

#include "extract_mysql_config.h"
#include "mysql_extract.h"
#include "sluice/password.hpp"
#include "sluice/plugin.hpp"

namespace sluice::mysql {

struct ExtractMysqlPlugin {
  static constexpr const char* kName = "extract.mysql";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr sluice_plugin_kind kKind = SLUICE_KIND_EXTRACT;
  static constexpr const char* kSummary =
      "Reads a MySQL/MariaDB table or query (with bound parameters) into a typed dataset";
  static constexpr const char* kConfigSchema = kExtractMysqlConfigSchema;

  static void Validate(const nlohmann::json& config, sdk::Errors& errors) {
    CheckExtractMysqlConfig(config, Templates::kUnrendered,
                            [&](const std::string& path, const std::string& message) {
                              errors.Add(path, message);
                            });
  }

  static void Run(sdk::Context& context) {
    const MysqlExtractOptions options = ParseExtractMysqlConfig(context.config());
    const std::string output = context.output_path();
    if (output.empty()) throw sdk::Failure("the host gave extract.mysql no output path");
    const std::string password = sdk::ReadPassword(options.password_env, options.password_file);
    const MysqlExtractStats stats = ExtractMysql(options, password, output);
    context.AddRowsIn(stats.rows);
    context.AddRowsOut(stats.rows);
    context.AddBytesOut(static_cast<int64_t>(stats.bytes_out));
    char rate[64];
    std::snprintf(rate, sizeof rate, "%.2f s (%.0f rows/s)", stats.seconds,
                  stats.seconds > 0 ? static_cast<double>(stats.rows) / stats.seconds : 0.0);
    context.Info("read " + std::to_string(stats.rows) + " rows of " + options.source + " from " +
                 options.url.Display() + " in " + rate);
  }
};

}  // namespace sluice::mysql

SLUICE_PLUGIN(sluice::mysql::ExtractMysqlPlugin)
