#include "runtime/plugin_host.h"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace sluice {
namespace {

namespace fs = std::filesystem;

std::string KindName(int kind) {
  switch (kind) {
    case SLUICE_KIND_EXTRACT: return "extract";
    case SLUICE_KIND_TRANSFORM: return "transform";
    case SLUICE_KIND_JOIN: return "join";
    case SLUICE_KIND_AGGREGATE: return "aggregate";
    case SLUICE_KIND_EXPORT: return "export";
    default: return "other";
  }
}

// The smallest descriptor a plugin of ABI 1 may have: fields appended later (plan_exec) are
// used only when struct_size says the plugin has them.
constexpr size_t kDescriptorV1Size = offsetof(sluice_plugin_descriptor, plan_exec);

}  // namespace

LoadedPlugin::LoadedPlugin(void* handle, const sluice_plugin_descriptor* descriptor,
                           PluginInfo info)
    : handle_(handle), descriptor_(descriptor), info_(std::move(info)) {}

LoadedPlugin::~LoadedPlugin() {
  // Plugins are never unloaded: a library with thread-local destructors or atexit handlers
  // (e.g. database client libraries) may crash at exit if its code has been unmapped.
  // The handle lives until the process ends, which for task-exec is one attempt.
  (void)handle_;
}

Result<std::unique_ptr<LoadedPlugin>> LoadPluginFile(const std::string& path) {
  dlerror();
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    return Status::Error(path + ": cannot load plugin: " + (why ? why : "unknown dlopen error") +
                         " — check that the file is a shared library built for this machine "
                         "and that the libraries it needs are installed");
  }
  auto entry =
      reinterpret_cast<sluice_plugin_entry_fn>(dlsym(handle, SLUICE_PLUGIN_ENTRY_SYMBOL));
  if (entry == nullptr) {
    dlclose(handle);
    return Status::Error(path + ": not a sluice plugin: it does not export `" +
                         std::string(SLUICE_PLUGIN_ENTRY_SYMBOL) +
                         "` — build it with the SDK's SLUICE_PLUGIN() macro, or move it out of "
                         "the plugin folder");
  }
  const sluice_plugin_descriptor* d = entry();
  if (d == nullptr) {
    dlclose(handle);
    return Status::Error(path + ": plugin entry returned no descriptor — the plugin is broken");
  }
  if (d->abi_version != SLUICE_PLUGIN_ABI_VERSION) {
    const std::string got = std::to_string(d->abi_version);
    dlclose(handle);
    return Status::Error(path + ": plugin ABI version " + got + ", but this sluice speaks " +
                         std::to_string(SLUICE_PLUGIN_ABI_VERSION) +
                         " — rebuild the plugin against this sluice's SDK");
  }
  if (d->struct_size < kDescriptorV1Size || d->name == nullptr || d->run == nullptr) {
    dlclose(handle);
    return Status::Error(path + ": plugin descriptor is incomplete (name, run and struct_size "
                                "are required) — rebuild the plugin against the SDK");
  }
  PluginInfo info;
  info.name = d->name;
  info.version = d->version ? d->version : "";
  info.kind = KindName(d->kind);
  info.summary = d->summary ? d->summary : "";
  info.path = path;
  info.abi_version = d->abi_version;
  info.config_schema_json = d->config_schema_json ? d->config_schema_json : "{}";
  return std::make_unique<LoadedPlugin>(handle, d, std::move(info));
}

std::vector<std::string> PluginSearchPath(const std::string& builtin_dir) {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("SLUICE_PLUGIN_PATH"); env != nullptr) {
    std::string_view rest(env);
    while (!rest.empty()) {
      const size_t colon = rest.find(':');
      std::string_view dir = rest.substr(0, colon);
      if (!dir.empty()) dirs.emplace_back(dir);
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  std::error_code ec;
  if (!builtin_dir.empty() && fs::is_directory(builtin_dir, ec)) dirs.push_back(builtin_dir);
  return dirs;
}

std::string PluginFileName(std::string_view name) {
  std::string file = "libsluice_";
  for (char c : name) file += (c == '.' ? '_' : c);
  return file + ".so";
}

std::unique_ptr<PluginHost> PluginHost::Discover(const std::vector<std::string>& dirs) {
  auto host = std::make_unique<PluginHost>();
  for (const std::string& dir : dirs) {
    std::error_code ec;
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() == ".so") files.push_back(entry.path().string());
    }
    if (ec) {
      host->problems_.push_back(dir + ": cannot read plugin folder: " + ec.message());
      continue;
    }
    std::sort(files.begin(), files.end());
    for (const std::string& file : files) {
      auto loaded = LoadPluginFile(file);
      if (!loaded.ok()) {
        host->problems_.push_back(loaded.message());
        continue;
      }
      const std::string name = (*loaded)->info().name;
      // An earlier folder of the search path overrides a later one.
      host->plugins_.try_emplace(name, std::move(loaded).value());
    }
  }
  return host;
}

const PluginInfo* PluginHost::Find(std::string_view name) const {
  const LoadedPlugin* p = Get(name);
  return p ? &p->info() : nullptr;
}

const LoadedPlugin* PluginHost::Get(std::string_view name) const {
  auto it = plugins_.find(name);
  return it == plugins_.end() ? nullptr : it->second.get();
}

std::vector<std::string> PluginHost::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, plugin] : plugins_) names.push_back(name);
  return names;
}

std::vector<const LoadedPlugin*> PluginHost::All() const {
  std::vector<const LoadedPlugin*> all;
  for (const auto& [name, plugin] : plugins_) all.push_back(plugin.get());
  return all;
}

void PluginHost::ValidateConfig(std::string_view name, const std::string& config_json,
                                const ConfigErrorFn& on_error) const {
  const LoadedPlugin* p = Get(name);
  if (p == nullptr || p->descriptor().validate == nullptr) return;
  auto trampoline = [](void* user, const char* path, const char* message) {
    (*static_cast<const ConfigErrorFn*>(user))(path ? path : "", message ? message : "");
  };
  p->descriptor().validate(config_json.c_str(), trampoline,
                           const_cast<ConfigErrorFn*>(&on_error));
}

Result<std::unique_ptr<LoadedPlugin>> LoadPluginByName(std::string_view name,
                                                       const std::vector<std::string>& dirs) {
  const std::string file = PluginFileName(name);
  for (const std::string& dir : dirs) {
    const std::string path = (fs::path(dir) / file).string();
    if (::access(path.c_str(), F_OK) != 0) continue;
    auto loaded = LoadPluginFile(path);
    if (!loaded.ok()) return loaded.status();
    if ((*loaded)->info().name != name) {
      return Status::Error(path + ": expected plugin '" + std::string(name) + "' but the file "
                           "declares '" + (*loaded)->info().name + "' — rename the file to " +
                           PluginFileName((*loaded)->info().name));
    }
    return loaded;
  }
  std::string searched;
  for (const std::string& dir : dirs) searched += (searched.empty() ? "" : ", ") + dir;
  return Status::Error("plugin '" + std::string(name) + "' not found (looked for " + file +
                       " in " + (searched.empty() ? "no folder" : searched) +
                       ") — set SLUICE_PLUGIN_PATH to the folder that holds it");
}

}  // namespace sluice
