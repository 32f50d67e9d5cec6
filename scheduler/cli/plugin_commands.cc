// `sluice plugins list`.
#include <iostream>

#include <nlohmann/json.hpp>

#include "scheduler/cli/commands.h"
#include "scheduler/cli/table.h"

namespace sluice::cli {

int PluginsListCommand(CliContext& ctx, bool json) {
  const PluginHost& host = ctx.plugins();
  if (json) {
    nlohmann::json out = {{"plugins", nlohmann::json::array()},
                          {"errors", host.problems()},
                          {"search_path", ctx.plugin_dirs()}};
    for (const LoadedPlugin* p : host.All()) {
      const PluginInfo& i = p->info();
      out["plugins"].push_back({{"name", i.name},
                                {"version", i.version},
                                {"kind", i.kind},
                                {"abi_version", i.abi_version},
                                {"path", i.path},
                                {"summary", i.summary}});
    }
    std::cout << out.dump(2) << "\n";
  } else {
    Table table({"NAME", "VERSION", "KIND", "ABI", "PATH"});
    for (const LoadedPlugin* p : host.All()) {
      const PluginInfo& i = p->info();
      table.AddRow({i.name, i.version, i.kind, std::to_string(i.abi_version), i.path});
    }
    table.Print(std::cout);
    if (host.All().empty()) {
      std::cout << "(no plugins found; searched:";
      for (const std::string& dir : ctx.plugin_dirs()) std::cout << " " << dir;
      std::cout << ")\n";
    }
    for (const std::string& problem : host.problems()) PrintError(problem);
  }
  return host.problems().empty() ? kExitOk : kExitFailed;
}

}  // namespace sluice::cli
