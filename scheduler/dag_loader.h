// Reads and validates DAG files. Every problem of a file is reported, not only the first;
// a broken file never affects another.
#ifndef SLUICE_SCHEDULER_DAG_LOADER_H_
#define SLUICE_SCHEDULER_DAG_LOADER_H_

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "runtime/plugin_catalog.h"
#include "scheduler/dag.h"
#include "scheduler/diagnostic.h"

namespace sluice {

struct DagLoadResult {
  std::optional<DagSpec> dag;  // set only when `diagnostics` is empty
  Diagnostics diagnostics;
  std::string dag_id;          // best effort even for a broken file (`dag:` or the stem)
  std::string content_hash;
};

/// Loads the DAG file at `path`. Plugins are looked up in `plugins`. With `declared_pools`
/// (the pools of the scheduler config), a task's or the defaults' `pool` must be one of them;
/// without, pools are not checked against any config.
DagLoadResult LoadDagFile(const std::string& path, const PluginCatalog& plugins,
                          const std::set<std::string>* declared_pools = nullptr);

/// Same, from text already in memory; `path` names it in diagnostics, gives the stem, and
/// is the folder a relative `trigger.files` pattern is resolved against.
DagLoadResult LoadDagText(const std::string& path, std::string_view text,
                          const PluginCatalog& plugins,
                          const std::set<std::string>* declared_pools = nullptr);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_DAG_LOADER_H_
