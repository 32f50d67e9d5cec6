// What the DAG validator needs to know about plugins, without loading any itself.
// The plugin host (plugin_host.h) implements it; tests can implement it in memory.
#ifndef SLUICE_RUNTIME_PLUGIN_CATALOG_H_
#define SLUICE_RUNTIME_PLUGIN_CATALOG_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

struct PluginInfo {
  std::string name;         // e.g. "extract.csv"
  std::string version;      // the plugin's own version
  std::string kind;         // "extract", "transform", "join", "aggregate", "export" or "other"
  std::string summary;
  std::string path;         // the shared library it came from
  uint32_t abi_version = 0;
  std::string config_schema_json;  // JSON Schema of the task's `with:` mapping
};

/// Receives one configuration problem: a JSON pointer into `with:` and a message.
using ConfigErrorFn = std::function<void(const std::string& config_path, const std::string& message)>;

class PluginCatalog {
 public:
  virtual ~PluginCatalog() = default;
  /// The plugin named `name`, or nullptr.
  virtual const PluginInfo* Find(std::string_view name) const = 0;
  /// Every known plugin name, sorted.
  virtual std::vector<std::string> Names() const = 0;
  /// Runs the plugin's own validate() on a configuration (JSON object text).
  /// REQUIRES: Find(name) != nullptr.
  virtual void ValidateConfig(std::string_view name, const std::string& config_json,
                              const ConfigErrorFn& on_error) const = 0;
};

}  // namespace sluice

#endif  // SLUICE_RUNTIME_PLUGIN_CATALOG_H_
