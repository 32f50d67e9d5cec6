// The JSON shapes of state records, shared by the CLI's --json output and the HTTP API, so
// that a script written against one reads the other. Field names are part of the API
// (docs/openapi.yaml): add fields, never rename them.
#ifndef SLUICE_SCHEDULER_RECORD_JSON_H_
#define SLUICE_SCHEDULER_RECORD_JSON_H_

#include <nlohmann/json_fwd.hpp>

#include "runtime/state_store.h"

namespace sluice {

nlohmann::json RunJson(const RunRecord& run);
nlohmann::json AttemptJson(const AttemptRecord& attempt);
nlohmann::json AlertJson(const AlertRecord& alert);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_RECORD_JSON_H_
