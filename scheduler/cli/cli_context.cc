#include "scheduler/cli/cli_context.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "scheduler/scheduler_config.h"

namespace sluice::cli {
namespace {

namespace fs = std::filesystem;

std::string FirstSet(const std::string& flag, const char* env_name, const char* fallback) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv(env_name); env != nullptr && *env != '\0') return env;
  return fallback;
}

std::string SelfBinary() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("sluice") : self.string();
}

// The plugins that ship with this sluice: beside the binary in a build tree, under
// ../lib/sluice/plugins in an install, else where this binary was built.
std::string BuiltinPluginDir(const std::string& self) {
  const fs::path bin_dir = fs::path(self).parent_path();
  std::error_code ec;
  for (const fs::path& candidate :
       {bin_dir / "plugins", bin_dir / ".." / "lib" / "sluice" / "plugins"}) {
    if (fs::is_directory(candidate, ec)) return fs::weakly_canonical(candidate, ec).string();
  }
  return SLUICE_PLUGIN_BUILD_DIR;
}

}  // namespace

CliContext::CliContext(const GlobalOptions& options)
    : home_(FirstSet(options.home, "SLUICE_HOME", ".sluice")),
      dags_(FirstSet(options.dags, "SLUICE_DAGS", "dags")),
      self_(SelfBinary()),
      plugin_dirs_(PluginSearchPath(BuiltinPluginDir(self_))) {
  // Absolute paths: task-exec processes and log paths must not depend on the current folder.
  std::error_code ec;
  home_ = fs::absolute(home_, ec).lexically_normal().string();
}

const PluginHost& CliContext::plugins() {
  if (!plugins_) plugins_ = PluginHost::Discover(plugin_dirs_);
  return *plugins_;
}

Result<StateStore*> CliContext::store() {
  if (!store_) {
    auto opened = OpenSqliteStateStore(database_path());
    if (!opened.ok()) return opened.status();
    store_ = std::move(opened).value();
  }
  return store_.get();
}

void PrintError(const std::string& message) { std::cerr << "error: " << message << "\n"; }

std::optional<SchedulerConfig> CliContext::scheduler_config() {
  const std::string path = home_ + "/" + std::string(kSchedulerConfigFileName);
  Result<SchedulerConfig> config = LoadSchedulerConfig(path);
  if (!config.ok()) {
    std::cerr << config.message() << "\nwarning: the scheduler config has problems; its "
              << "pools and alert routes are not used here\n";
    return std::nullopt;
  }
  return std::move(config).value();
}

std::optional<std::set<std::string>> CliContext::declared_pools() {
  std::optional<SchedulerConfig> config = scheduler_config();
  if (!config) return std::nullopt;
  return config->PoolNames();
}

}  // namespace sluice::cli
