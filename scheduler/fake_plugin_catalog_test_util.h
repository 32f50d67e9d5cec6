// An in-memory PluginCatalog for tests, with the three plugins the DAG corpus uses.
#ifndef SLUICE_SCHEDULER_FAKE_PLUGIN_CATALOG_TEST_UTIL_H_
#define SLUICE_SCHEDULER_FAKE_PLUGIN_CATALOG_TEST_UTIL_H_

#include <algorithm>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/plugin_catalog.h"

namespace sluice {

class FakePluginCatalog : public PluginCatalog {
 public:
  using Validator = std::function<void(const std::string& config_json, const ConfigErrorFn&)>;

  void Add(std::string name, std::string schema_json, Validator validator = nullptr) {
    PluginInfo info;
    info.name = std::move(name);
    info.version = "1.0.0";
    info.kind = "other";
    info.config_schema_json = std::move(schema_json);
    plugins_.push_back({std::move(info), std::move(validator)});
  }

  const PluginInfo* Find(std::string_view name) const override {
    for (const Entry& entry : plugins_) {
      if (entry.info.name == name) return &entry.info;
    }
    return nullptr;
  }

  std::vector<std::string> Names() const override {
    std::vector<std::string> names;
    for (const Entry& entry : plugins_) names.push_back(entry.info.name);
    std::sort(names.begin(), names.end());
    return names;
  }

  void ValidateConfig(std::string_view name, const std::string& config_json,
                      const ConfigErrorFn& on_error) const override {
    ++validate_calls_;
    for (const Entry& entry : plugins_) {
      if (entry.info.name == name && entry.validator) entry.validator(config_json, on_error);
    }
  }

  int validate_calls() const { return validate_calls_; }

 private:
  struct Entry {
    PluginInfo info;
    Validator validator;
  };
  std::vector<Entry> plugins_;
  mutable int validate_calls_ = 0;
};

inline constexpr const char* kShellSchema = R"({
  "type": "object",
  "properties": {
    "command": {"type": "string"},
    "env": {"type": "object", "additionalProperties": {"type": "string"}},
    "cwd": {"type": "string"}
  },
  "required": ["command"],
  "additionalProperties": false
})";

inline constexpr const char* kExtractCsvSchema = R"json({
  "type": "object",
  "properties": {
    "path": {"type": "string"},
    "delimiter": {"type": "string", "maxLength": 1},
    "header": {"type": "boolean"},
    "columns": {
      "type": "array",
      "items": {
        "type": "object",
        "properties": {
          "name": {"type": "string"},
          "type": {"type": "string",
                   "pattern": "^(string|int64|float64|bool|date|timestamp|decimal\\([0-9]+,[0-9]+\\))$",
                   "description": "use string, int64, float64, bool, date, timestamp or decimal(P,S) with precision P <= 18, e.g. decimal(12,2)"}
        },
        "required": ["name", "type"],
        "additionalProperties": false
      }
    }
  },
  "required": ["path"],
  "additionalProperties": false
})json";

inline constexpr const char* kExportCsvSchema = R"({
  "type": "object",
  "properties": {
    "path": {"type": "string"},
    "input": {"type": "string"},
    "delimiter": {"type": "string", "maxLength": 1},
    "header": {"type": "boolean"},
    "null": {"type": "string"}
  },
  "required": ["path"],
  "additionalProperties": false
})";

/// shell, extract.csv and export.csv with the schemas above and no validate() checks of
/// their own, so the corpus expectations depend on the schemas alone.
inline FakePluginCatalog CorpusPluginCatalog() {
  FakePluginCatalog catalog;
  catalog.Add("shell", kShellSchema);
  catalog.Add("extract.csv", kExtractCsvSchema);
  catalog.Add("export.csv", kExportCsvSchema);
  return catalog;
}

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_FAKE_PLUGIN_CATALOG_TEST_UTIL_H_
