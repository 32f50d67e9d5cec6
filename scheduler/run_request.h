// Turning "run this DAG now with these params" into a run record and its template values.
#ifndef SLUICE_SCHEDULER_RUN_REQUEST_H_
#define SLUICE_SCHEDULER_RUN_REQUEST_H_

#include <optional>
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

/// What starts a run, and for which dates.
struct RunRequest {
  std::string trigger = "manual";  // "manual", "schedule", "backfill", "file", "foreground"
  std::optional<TimePoint> logical_date;    // default: now
  std::optional<TimePoint> interval_start;  // default: the logical date
  std::vector<std::pair<std::string, std::string>> overrides;  // --param; must be declared
  std::string trigger_file;  // the file that started a "file" run
};

/// A run of `dag` created at `now`, state "queued". Dates are recorded in UTC and shown to
/// templates in the DAG's time zone; the data interval ends at the logical date.
Result<PreparedRun> PrepareRun(const DagSpec& dag, const RunRequest& request, TimePoint now);

/// A run of `sluice run` at `now` (trigger "foreground": its own process drives it, never the
/// scheduler): logical date = data interval start = end = `now`, shown in the DAG's time zone.
/// `overrides` (from --param) must name declared params.
Result<PreparedRun> PrepareManualRun(const DagSpec& dag,
                                     const std::vector<std::pair<std::string, std::string>>& overrides,
                                     TimePoint now);

/// The template values of a run already recorded (queued by a CLI verb, or resumed after a
/// restart): params from its record, dates from its record in the DAG's time zone.
Result<PreparedRun> PrepareRecordedRun(const DagSpec& dag, const RunRecord& record);

/// "20261123T223501-3f9a0c": UTC time plus random hex, sortable and safe in file names.
std::string NewRunId(TimePoint now);

/// Parses "name=value" as given to --param; the error says what form is expected.
Result<std::pair<std::string, std::string>> ParseParamArgument(const std::string& arg);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_RUN_REQUEST_H_
