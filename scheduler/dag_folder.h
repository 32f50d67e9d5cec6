// The DAG folder: every *.yaml / *.yml file under it (subfolders included) is a DAG.
#ifndef SLUICE_SCHEDULER_DAG_FOLDER_H_
#define SLUICE_SCHEDULER_DAG_FOLDER_H_

#include <string>
#include <vector>

#include "runtime/plugin_catalog.h"
#include "runtime/status.h"
#include "scheduler/dag_loader.h"

namespace sluice {

/// DAG files under `dir`, sorted. Hidden files and folders (".name") and editor leftovers
/// ("name~", ".#name") are skipped. Fails only when `dir` cannot be read.
Result<std::vector<std::string>> ListDagFiles(const std::string& dir);

/// Resolves what the user typed after `sluice run`: an existing file path is loaded as is;
/// otherwise `id_or_file` is a DAG id looked up in `dir` (DIR/ID.yaml, DIR/ID.yml first, then
/// every file of the folder). Returns the load result of the file found; fails when none has
/// that id.
Result<DagLoadResult> ResolveDag(const std::string& id_or_file, const std::string& dir,
                                 const PluginCatalog& plugins);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_DAG_FOLDER_H_
