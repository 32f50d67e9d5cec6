#include "export_sql_config.h"

#include <optional>

#include "sluice/plugin.hpp"

namespace sluice::export_sql {
namespace {

std::string StringOr(const nlohmann::json& config, const char* name) {
  return config.contains(name) && config[name].is_string() ? config[name].get<std::string>()
                                                           : std::string();
}

WriteMode ModeOf(const std::string& mode) {
  if (mode == "replace") return WriteMode::kReplace;
  if (mode == "upsert") return WriteMode::kUpsert;
  return WriteMode::kAppend;
}

// A value with a template (`{{ params.db }}`, `${DB}`) is checked when the attempt runs,
// after the host rendered it; at `sluice dags validate` time it has no real value yet.
bool IsTemplated(const nlohmann::json& value) {
  if (!value.is_string()) return false;
  const std::string& text = value.get_ref<const std::string&>();
  return text.find("{{") != std::string::npos || text.find("${") != std::string::npos;
}

}  // namespace

void CheckExportSqlConfig(const nlohmann::json& config, const ConfigProblem& report) {
  std::optional<ConnectionTarget> target;
  if (config.contains("connection") && config["connection"].is_string() &&
      !IsTemplated(config["connection"])) {
    std::string error;
    target = ParseConnectionUrl(config["connection"].get<std::string>(), &error);
    if (!target) report("/connection", error);
  }
  const bool has_env = config.contains("password_env");
  const bool has_file = config.contains("password_file");
  if (has_env && has_file) {
    report("/password_file", "give either password_env or password_file, not both");
  }
  if (target && target->dialect == Dialect::kSqlite && (has_env || has_file)) {
    report(has_env ? "/password_env" : "/password_file",
           "a SQLite database has no password; remove this setting");
  }
  if (config.contains("table") && config["table"].is_string() && !IsTemplated(config["table"])) {
    std::string error;
    if (!ParseTableName(config["table"].get<std::string>(), &error)) report("/table", error);
  }
  const bool has_key =
      config.contains("key") && config["key"].is_array() && !config["key"].empty();
  if (StringOr(config, "mode") == "upsert" && !has_key) {
    report("/mode", "upsert needs `key`: the columns that identify a row, e.g. key: [id]");
  }
  if (has_key) {
    const nlohmann::json& key = config["key"];
    for (size_t i = 0; i < key.size(); ++i) {
      if (!key[i].is_string()) continue;
      if (std::string why = CheckIdentifier(key[i].get<std::string>()); !why.empty()) {
        report("/key/" + std::to_string(i), why);
      }
    }
  }
}

SqlExportOptions ParseExportSqlConfig(const nlohmann::json& config) {
  std::optional<sdk::Failure> first;
  CheckExportSqlConfig(config, [&](const std::string& path, const std::string& message) {
    if (!first) first.emplace(message, path);
  });
  if (first) throw *first;
  if (!config.contains("connection") || !config.contains("table")) {
    throw sdk::Failure("export.sql needs `connection` and `table`: where to write");
  }
  SqlExportOptions options;
  std::string error;
  options.target = *ParseConnectionUrl(config["connection"].get<std::string>(), &error);
  options.table = *ParseTableName(config["table"].get<std::string>(), &error);
  options.password_env = StringOr(config, "password_env");
  options.password_file = StringOr(config, "password_file");
  options.input = StringOr(config, "input");
  options.mode = ModeOf(StringOr(config, "mode"));
  options.key = config.value("key", std::vector<std::string>());
  options.create = config.value("create", true);
  options.batch_rows = config.value("batch_rows", kDefaultBatchRows);
  return options;
}

}  // namespace sluice::export_sql
