// The `extract.postgres` plugin: reads a PostgreSQL table or query into the task's dataset.
#include <chrono>
#include <cstdio>
#include <string>

#include "extract_postgres_config.h"
#include "password.h"
#include "postgres_connection.h"
#include "postgres_import.h"
#include "sluice/plugin.hpp"

namespace sluice::postgres {
namespace {

std::string RateText(int64_t rows, double seconds) {
  char text[96];
  std::snprintf(text, sizeof text, "%.2f s (%.0f rows/s)", seconds,
                seconds > 0 ? static_cast<double>(rows) / seconds : 0.0);
  return text;
}

ImportStats Extract(sdk::Context& context, const ExtractOptions& options,
                    const std::optional<std::string>& password) {
  Connection connection(options.target, password);
  ImportRequest request;
  request.sql = options.sql;
  request.params = options.params;
  request.declared = options.declared;
  request.output_path = context.output_path();
  request.on_rows = [&context](int64_t rows) {
    context.AddRowsIn(rows);
    context.AddRowsOut(rows);
  };
  return ImportQuery(connection, request);
}

}  // namespace

struct ExtractPostgresPlugin {
  static constexpr const char* kName = "extract.postgres";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr sluice_plugin_kind kKind = SLUICE_KIND_EXTRACT;
  static constexpr const char* kSummary =
      "Reads a PostgreSQL table or query (bound parameters) into a typed dataset";
  static constexpr const char* kConfigSchema = kExtractPostgresConfigSchema;

  static void Validate(const nlohmann::json& config, sdk::Errors& errors) {
    CheckExtractPostgresConfig(config, [&](const std::string& path, const std::string& message) {
      errors.Add(path, message);
    });
  }

  static void Run(sdk::Context& context) {
    const ExtractOptions options = ParseExtractPostgresConfig(context.config());
    if (context.output_path().empty()) {
      throw sdk::Failure("the host gave extract.postgres no output path");
    }
    const std::optional<std::string> password = ReadPassword(options.password);
    const auto started = std::chrono::steady_clock::now();
    ImportStats stats;
    // Whatever fails below, the message passes through Redact: the password never leaves.
    try {
      stats = Extract(context, options, password);
    } catch (const sdk::Failure& failure) {
      throw sdk::Failure(Redact(failure.what(), password), failure.config_path());
    } catch (const std::exception& error) {
      throw sdk::Failure(Redact(error.what(), password));
    }
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
    context.AddBytesOut(static_cast<int64_t>(stats.bytes_out));
    context.Info("read " + std::to_string(stats.rows) + " rows from the " + options.source +
                 " on " + options.target.Display() + " in " +
                 RateText(stats.rows, elapsed.count()));
  }
};

}  // namespace sluice::postgres

SLUICE_PLUGIN(sluice::postgres::ExtractPostgresPlugin)
