// `sluice dags next DAG [-n N] [--after TIME]`.
#include <iostream>

#include "scheduler/cli/commands.h"
#include "scheduler/dag_folder.h"
#include "scheduler/upcoming_fires.h"
#include "scheduler/zoned_time.h"

namespace sluice::cli {

int DagsNextCommand(CliContext& ctx, const NextOptions& options) {
  auto resolved = ResolveDag(options.dag, ctx.dags_dir(), ctx.plugins());
  if (!resolved.ok()) {
    PrintError(resolved.message());
    return kExitInvalid;
  }
  if (!resolved->dag) {
    for (const Diagnostic& d : resolved->diagnostics) std::cerr << d.ToString() << "\n";
    std::cerr << "error: DAG file has " << resolved->diagnostics.size() << " problem(s)\n";
    return kExitInvalid;
  }
  const DagSpec& dag = *resolved->dag;
  std::chrono::system_clock::time_point after = std::chrono::system_clock::now();
  if (!options.after.empty()) {
    // A wall-clock time without an offset is read in the DAG's zone, like its schedule.
    Result<ZonedTimePoint> parsed = ParseZonedTime(options.after, dag.timezone, DateAlone::kStartOfDay);
    if (!parsed.ok()) {
      PrintError("--after: " + parsed.message());
      return kExitInvalid;
    }
    after = *parsed;
  }
  Result<UpcomingFires> fires = NextFireTimes(dag, after, options.count);
  if (!fires.ok()) {
    PrintError(fires.message());
    return kExitFailed;
  }
  for (const std::string& time : fires->times) std::cout << time << "\n";
  if (!fires->ended.empty()) std::cerr << fires->ended << "\n";
  return kExitOk;
}

}  // namespace sluice::cli
