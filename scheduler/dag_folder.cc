#include "scheduler/dag_folder.h"

#include <algorithm>
#include <filesystem>

namespace sluice {
namespace {

namespace fs = std::filesystem;

bool IsDagFileName(const std::string& name) {
  if (name.empty() || name[0] == '.' || name.back() == '~') return false;
  const std::string ext = fs::path(name).extension().string();
  return ext == ".yaml" || ext == ".yml";
}

}  // namespace

Result<std::vector<std::string>> ListDagFiles(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::Error("DAG folder '" + dir + "' does not exist — create it, or point --dags " +
                         "or SLUICE_DAGS at the folder that holds your DAG files");
  }
  std::vector<std::string> files;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->is_directory(ec) && !name.empty() && name[0] == '.') {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec) && IsDagFileName(name)) files.push_back(it->path().string());
  }
  if (ec) return Status::Error("cannot read DAG folder '" + dir + "': " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

Result<DagLoadResult> ResolveDag(const std::string& id_or_file, const std::string& dir,
                                 const PluginCatalog& plugins) {
  std::error_code ec;
  if (fs::is_regular_file(id_or_file, ec)) return LoadDagFile(id_or_file, plugins);
  for (const char* ext : {".yaml", ".yml"}) {
    const fs::path candidate = fs::path(dir) / (id_or_file + ext);
    if (!fs::is_regular_file(candidate, ec)) continue;
    DagLoadResult loaded = LoadDagFile(candidate.string(), plugins);
    if (loaded.dag_id == id_or_file) return loaded;
  }
  auto files = ListDagFiles(dir);
  if (!files.ok()) {
    return Status::Error("'" + id_or_file + "' is neither a file nor a DAG id: " + files.message());
  }
  std::vector<std::string> ids;
  for (const std::string& file : *files) {
    DagLoadResult loaded = LoadDagFile(file, plugins);
    if (loaded.dag_id == id_or_file) return loaded;
    ids.push_back(loaded.dag_id);
  }
  std::string known;
  for (const std::string& id : ids) known += (known.empty() ? "" : ", ") + id;
  return Status::Error("no DAG file or DAG id '" + id_or_file + "' in " + dir + " — " +
                       (known.empty() ? std::string("the folder holds no DAG files")
                                      : "known DAGs: " + known));
}

}  // namespace sluice
