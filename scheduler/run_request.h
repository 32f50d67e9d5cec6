// Turning "run this DAG now with these params" into a run record and its template values.
#ifndef SLUICE_SCHEDULER_RUN_REQUEST_H_
#define SLUICE_SCHEDULER_RUN_REQUEST_H_

#include <string>
#include <utility>
#include <vector>

#include "runtime/state_store.h"
#include "runtime/status.h"
#include "runtime/time_format.h"
#include "scheduler/dag.h"
#include "scheduler/template.h"

namespace sluice {

struct PreparedRun {
  RunRecord record;       // state "queued"
  TemplateValues values;  // for rendering the tasks' `with:`
};

/// A manual run at `now`: logical date = data interval start = end = `now`, shown in the DAG's
/// time zone. `overrides` (from --param) must name declared params.
Result<PreparedRun> PrepareManualRun(const DagSpec& dag,
                                     const std::vector<std::pair<std::string, std::string>>& overrides,
                                     TimePoint now);

/// "20261123T223501-3f9a0c": UTC time plus random hex, sortable and safe in file names.
std::string NewRunId(TimePoint now);

/// Parses "name=value" as given to --param; the error says what form is expected.
Result<std::pair<std::string, std::string>> ParseParamArgument(const std::string& arg);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_RUN_REQUEST_H_
