#include "scheduler/scheduler_config.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "runtime/http_server.h"
#include "scheduler/alert_routes.h"
#include "scheduler/dag_values.h"
#include "scheduler/problem_list.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string>& ConfigKeys() {
  static const std::vector<std::string> kKeys = {
      "parallelism", "pools", "alerts", "ui_url", "workspace_retention", "listen", "api_token_file"};
  return kKeys;
}

void ReadPools(const YAML::Node& key, const YAML::Node& value, SchedulerConfig& config,
               ProblemList& problems) {
  if (value.IsNull()) return;
  if (!value.IsMap()) {
    problems.Add(PositionOf(value, key),
                 "`pools` must be a mapping of pool names to slots, got " + DescribeYamlValue(value),
                 "write each pool on its own indented line under 'pools:', e.g. 'warehouse: 4'");
    return;
  }
  std::vector<std::pair<std::string, int>> seen;  // name, line
  for (const auto& entry : value) {
    const YAML::Node& name_node = entry.first;
    const YamlPosition where = PositionOf(name_node);
    const std::string name = name_node.IsScalar() ? name_node.Scalar() : std::string();
    if (!IsValidPoolName(name)) {
      problems.Add(where,
                   "invalid pool name " + (name_node.IsScalar() ? "'" + name + "'" : DescribeYamlValue(name_node)),
                   "use only letters, digits, '_' and '-', e.g. '" + SanitizedPoolName(name) + "'");
      continue;
    }
    bool repeated = false;
    for (const auto& [seen_name, seen_line] : seen) {
      if (seen_name != name) continue;
      problems.Add(where, "duplicate pool '" + name + "' (first on line " + std::to_string(seen_line) + ")",
                   "remove one of them");
      repeated = true;
    }
    if (repeated) continue;
    seen.emplace_back(name, where.line);
    if (auto slots = ReadPositiveInt(name_node, entry.second, "in `pools`",
                                     "give the pool 1 or more slots, the number of its tasks that "
                                     "may run at once, e.g. '" + name + ": 2'",
                                     problems)) {
      config.pools[name] = *slots;
    }
  }
}

void ReadUiUrl(const YAML::Node& key, const YAML::Node& value, SchedulerConfig& config,
               ProblemList& problems) {
  constexpr const char* kFix = "write the address the web UI is reached at, e.g. "
                               "'ui_url: https://sluice.example.com'";
  std::optional<std::string> url = ReadScalar(key, value, "", "a URL", kFix, problems);
  if (!url) return;
  if (url->rfind("http://", 0) != 0 && url->rfind("https://", 0) != 0) {
    problems.Add(PositionOf(value), "`ui_url` must start with http:// or https://, got '" + *url + "'",
                 kFix);
    return;
  }
  config.ui_url = *url;
}

void ReadListen(const YAML::Node& key, const YAML::Node& value, SchedulerConfig& config,
                ProblemList& problems) {
  constexpr const char* kFix = "write HOST:PORT, e.g. 'listen: 127.0.0.1:8080' (port 0: any free "
                               "port), or 'listen: off' for no HTTP server";
  std::optional<std::string> listen = ReadScalar(key, value, "", "HOST:PORT", kFix, problems);
  if (!listen) return;
  if (*listen != "off") {
    if (Result<std::pair<std::string, int>> parsed = ParseListenAddress(*listen); !parsed.ok()) {
      problems.Add(PositionOf(value), "`listen`: " + parsed.message(), kFix);
      return;
    }
  }
  config.listen = *listen;
}

void ReadConfig(const YAML::Node& root, SchedulerConfig& config, ProblemList& problems) {
  if (root.IsNull()) return;  // an empty file: every default
  if (!root.IsMap()) {
    problems.Add(PositionOf(root),
                 "the scheduler config must be a mapping of keys such as `parallelism` and "
                 "`pools`, got " + DescribeYamlValue(root),
                 "write e.g. 'parallelism: 8' and a 'pools:' mapping below it");
    return;
  }
  ForEachKnownKey(root, ConfigKeys(), "at the top level", problems,
                  [&](const std::string& name, const YAML::Node& key, const YAML::Node& value) {
    if (name == "parallelism") {
      if (auto parallelism = ReadPositiveInt(
              key, value, "", "write a whole number of 1 or more, or remove `parallelism` to run "
                              "as many attempts at once as the machine has cores",
              problems)) {
        config.parallelism = static_cast<size_t>(*parallelism);
      }
    } else if (name == "pools") {
      ReadPools(key, value, config, problems);
    } else if (name == "alerts") {
      config.alerts = ReadAlertRoutes(key, value, "in the scheduler config", problems);
    } else if (name == "ui_url") {
      ReadUiUrl(key, value, config, problems);
    } else if (name == "workspace_retention") {
      if (auto retention = ReadDurationValue(key, value, "in the scheduler config", problems)) {
        config.workspace_retention = *retention;
      }
    } else if (name == "listen") {
      ReadListen(key, value, config, problems);
    } else if (name == "api_token_file") {
      if (auto file = ReadScalar(key, value, "", "a file path",
                                 "write the path of the file holding the API token, e.g. "
                                 "'api_token_file: /etc/sluice/api-token'",
                                 problems)) {
        config.api_token_file = *file;
      }
    }
  });
}

Status ProblemsAsStatus(ProblemList& problems) {
  std::string message;
  for (const Diagnostic& diagnostic : problems.TakeSorted()) {
    if (!message.empty()) message += "\n";
    message += diagnostic.ToString();
  }
  return Status::Error(std::move(message));
}

}  // namespace

Result<SchedulerConfig> ParseSchedulerConfig(const std::string& path, std::string_view text) {
  SchedulerConfig config;
  config.path = path;
  ProblemList problems(path);
  try {
    ReadConfig(YAML::Load(std::string(text)), config, problems);
  } catch (const YAML::Exception& error) {
    AddYamlSyntaxError(error, text, problems);
  }
  if (!problems.empty()) return ProblemsAsStatus(problems);
  return config;
}

Result<SchedulerConfig> LoadSchedulerConfig(const std::string& path) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found) return SchedulerConfig{};
  if (status.type() == fs::file_type::directory) {
    return Status::Error(Diagnostic{path, 0, 0, "the scheduler config is a folder, not a file",
                                    "remove or rename the folder"}.ToString());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const std::string reason = std::strerror(errno);
    return Status::Error(Diagnostic{path, 0, 0, "cannot read the scheduler config: " + reason,
                                    "check that the file is readable, or remove it to use the "
                                    "defaults"}.ToString());
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  return ParseSchedulerConfig(path, contents.str());
}

}  // namespace sluice
