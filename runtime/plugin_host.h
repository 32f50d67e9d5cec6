// Finds and loads plugin shared libraries (dlopen + ABI check).
//
// A plugin folder may hold any files; every `*.so` in it is expected to be a sluice plugin,
// and one that is not (no entry symbol, wrong ABI version, fails to load) is reported with
// its path instead of being silently skipped.
#ifndef SLUICE_RUNTIME_PLUGIN_HOST_H_
#define SLUICE_RUNTIME_PLUGIN_HOST_H_

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/plugin_catalog.h"
#include "runtime/status.h"
#include "sluice/plugin.h"

namespace sluice {

/// A plugin library held open for the life of this object.
class LoadedPlugin {
 public:
  LoadedPlugin(void* handle, const sluice_plugin_descriptor* descriptor, PluginInfo info);
  ~LoadedPlugin();
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;

  const sluice_plugin_descriptor& descriptor() const { return *descriptor_; }
  /// The plugin's plan_exec, or nullptr when it has none (or predates the field).
  decltype(sluice_plugin_descriptor::plan_exec) plan_exec() const {
    return descriptor_->struct_size >= offsetof(sluice_plugin_descriptor, plan_exec) +
                                           sizeof(descriptor_->plan_exec)
               ? descriptor_->plan_exec
               : nullptr;
  }
  const PluginInfo& info() const { return info_; }

 private:
  void* handle_;
  const sluice_plugin_descriptor* descriptor_;
  PluginInfo info_;
};

/// Loads one plugin library and checks it. The error names the file and says what is wrong.
Result<std::unique_ptr<LoadedPlugin>> LoadPluginFile(const std::string& path);

/// The plugin folders, in search order: the folders of $SLUICE_PLUGIN_PATH (colon-separated),
/// then `builtin_dir` (the build's or install's plugin folder) when it exists.
std::vector<std::string> PluginSearchPath(const std::string& builtin_dir);

/// The library file a plugin named `name` lives in: "extract.csv" -> "libsluice_extract_csv.so".
std::string PluginFileName(std::string_view name);

/// Every plugin found in a set of folders. The first folder that provides a name wins.
class PluginHost : public PluginCatalog {
 public:
  /// Loads every `*.so` in `dirs`. Never fails as a whole: broken files go to problems().
  static std::unique_ptr<PluginHost> Discover(const std::vector<std::string>& dirs);

  const PluginInfo* Find(std::string_view name) const override;
  std::vector<std::string> Names() const override;
  void ValidateConfig(std::string_view name, const std::string& config_json,
                      const ConfigErrorFn& on_error) const override;

  /// The loaded plugin named `name`, or nullptr.
  const LoadedPlugin* Get(std::string_view name) const;
  /// Every loaded plugin, sorted by name.
  std::vector<const LoadedPlugin*> All() const;
  /// One message per file that could not be used, each naming the file.
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::map<std::string, std::unique_ptr<LoadedPlugin>, std::less<>> plugins_;
  std::vector<std::string> problems_;
};

/// Finds and loads only the plugin named `name` (what `sluice task-exec` needs: one dlopen).
Result<std::unique_ptr<LoadedPlugin>> LoadPluginByName(std::string_view name,
                                                       const std::vector<std::string>& dirs);

}  // namespace sluice

#endif  // SLUICE_RUNTIME_PLUGIN_HOST_H_
