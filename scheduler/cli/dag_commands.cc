// `sluice dags validate` and `sluice dags list`.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>

#include <nlohmann/json.hpp>

#include "runtime/time_format.h"
#include "scheduler/cli/commands.h"
#include "scheduler/cli/table.h"
#include "scheduler/dag_folder.h"
#include "scheduler/dag_loader.h"
#include "scheduler/dag_registry.h"

namespace sluice::cli {
namespace {

namespace fs = std::filesystem;

void WarnAboutPlugins(const PluginHost& plugins) {
  for (const std::string& problem : plugins.problems()) std::cerr << "warning: " << problem << "\n";
}

std::string JoinLines(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += (out.empty() ? "" : "\n") + d.ToString();
  return out;
}

}  // namespace

int DagsValidateCommand(CliContext& ctx, const std::vector<std::string>& paths) {
  const PluginHost& plugins = ctx.plugins();
  WarnAboutPlugins(plugins);
  std::vector<std::string> files;
  bool input_error = false;
  for (const std::string& path : paths.empty() ? std::vector<std::string>{ctx.dags_dir()} : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      auto listed = ListDagFiles(path);
      if (!listed.ok()) {
        PrintError(listed.message());
        input_error = true;
        continue;
      }
      files.insert(files.end(), listed->begin(), listed->end());
    } else if (fs::exists(path, ec)) {
      files.push_back(path);
    } else {
      std::cerr << path << ": error: no such file or folder — check the path\n";
      input_error = true;
    }
  }
  size_t errors = 0, broken = 0;
  const std::optional<std::set<std::string>> pools = ctx.declared_pools();
  for (const std::string& file : files) {
    DagLoadResult loaded = LoadDagFile(file, plugins, pools ? &*pools : nullptr);
    for (const Diagnostic& d : loaded.diagnostics) std::cerr << d.ToString() << "\n";
    errors += loaded.diagnostics.size();
    if (!loaded.diagnostics.empty()) ++broken;
  }
  std::cout << files.size() << " file(s) checked, " << broken << " with errors, " << errors
            << " error(s) in all\n";
  return (errors > 0 || input_error) ? kExitInvalid : kExitOk;
}

int DagsListCommand(CliContext& ctx, bool json) {
  // The scheduler's own view of the folder: the same loading, duplicate-id and pool rules.
  DagRegistry registry(ctx.dags_dir(), ctx.plugins(), ctx.declared_pools());
  Result<DagRegistryChanges> loaded = registry.Rescan();
  if (!loaded.ok()) {
    PrintError(loaded.message());
    return kExitInvalid;
  }
  auto store = ctx.store();
  if (!store.ok()) {
    PrintError(store.message());
    return kExitFailed;
  }
  std::set<std::string> paused;
  Result<std::vector<DagControlRecord>> controls = (*store)->ListDagControls();
  if (!controls.ok()) {
    PrintError(controls.message());
    return kExitFailed;
  }
  for (const DagControlRecord& c : *controls) {
    if (c.paused) paused.insert(c.dag_id);
  }
  // The folder is the source of truth: record what it holds now, forget what it no longer does.
  std::vector<DagFileRecord> records;
  const std::string now = FormatUtc(std::chrono::system_clock::now());
  for (const DagFileState& file : registry.Files()) {
    DagFileRecord r;
    r.file = file.path;
    r.dag_id = file.dag_id;
    r.content_hash = file.content_hash;
    r.error = JoinLines(file.errors);
    if (file.dag) {
      r.task_count = static_cast<int>(file.dag->spec.tasks.size());
      r.schedule = file.dag->spec.schedule;
    }
    r.updated_at = now;
    records.push_back(r);
  }
  Status saved = (*store)->InTransaction([&]() -> Status {
    auto known = (*store)->ListDagFiles();
    if (!known.ok()) return known.status();
    for (const DagFileRecord& old : *known) {
      if (!registry.File(old.file)) {
        if (Status s = (*store)->RemoveDagFile(old.file); !s.ok()) return s;
      }
    }
    for (const DagFileRecord& r : records) {
      if (Status s = (*store)->UpsertDagFile(r); !s.ok()) return s;
    }
    return Status::Ok();
  });
  if (!saved.ok()) {
    PrintError(saved.message());
    return kExitFailed;
  }

  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const DagFileRecord& r : records) {
      out.push_back({{"dag_id", r.dag_id},
                     {"file", r.file},
                     {"tasks", r.task_count},
                     {"schedule", r.schedule},
                     {"valid", r.error.empty()},
                     {"paused", paused.count(r.dag_id) != 0},
                     {"error", r.error}});
    }
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  Table table({"DAG", "TASKS", "SCHEDULE", "FILE", "STATUS"});
  for (const DagFileRecord& r : records) {
    std::string status = r.error.empty() ? "ok" : "broken";
    if (paused.count(r.dag_id) != 0) status += ", paused";
    table.AddRow({r.dag_id, r.error.empty() ? std::to_string(r.task_count) : "-",
                  r.schedule.empty() ? "-" : r.schedule, r.file, status});
  }
  table.Print(std::cout);
  for (const DagFileRecord& r : records) {
    if (!r.error.empty()) std::cout << "\n" << r.error << "\n";
  }
  if (records.empty()) std::cout << "(no DAG files in " << ctx.dags_dir() << ")\n";
  return kExitOk;
}

}  // namespace sluice::cli
