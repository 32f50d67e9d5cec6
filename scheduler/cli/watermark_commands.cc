// `sluice dags watermarks DAG [--reset TASK]`.
#include <iostream>

#include <nlohmann/json.hpp>

#include "scheduler/cli/commands.h"
#include "scheduler/cli/table.h"

namespace sluice::cli {

int DagsWatermarksCommand(CliContext& ctx, const WatermarkOptions& options) {
  auto store = ctx.store();
  if (!store.ok()) {
    PrintError(store.message());
    return kExitFailed;
  }
  if (!options.reset_task.empty()) {
    Result<bool> deleted = (*store)->DeleteWatermark(options.dag_id, options.reset_task);
    if (!deleted.ok()) {
      PrintError(deleted.message());
      return kExitFailed;
    }
    if (!*deleted) {
      PrintError("DAG '" + options.dag_id + "' has no watermark for task '" + options.reset_task +
                 "'; `sluice dags watermarks " + options.dag_id + "` lists those it has");
      return kExitInvalid;
    }
    std::cout << "reset the watermark of " << options.dag_id << "." << options.reset_task
              << ": its next run starts from the task's `initial` value\n";
    return kExitOk;
  }
  Result<std::vector<WatermarkRecord>> marks = (*store)->ListWatermarks(options.dag_id);
  if (!marks.ok()) {
    PrintError(marks.message());
    return kExitFailed;
  }
  if (options.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const WatermarkRecord& m : *marks) {
      out.push_back({{"dag_id", m.dag_id}, {"task_id", m.task_id}, {"value", m.value},
                     {"run_id", m.run_id}, {"updated_at", m.updated_at}});
    }
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  if (marks->empty()) {
    std::cout << "(DAG '" << options.dag_id << "' has no watermarks yet: none of its tasks with "
              << "`watermark:` has been part of a successful run)\n";
    return kExitOk;
  }
  Table table({"TASK", "WATERMARK", "SET BY RUN", "AT"});
  for (const WatermarkRecord& m : *marks) table.AddRow({m.task_id, m.value, m.run_id, m.updated_at});
  table.Print(std::cout);
  return kExitOk;
}

}  // namespace sluice::cli
