// Reading an `alerts:` list — a DAG's or HOME/sluice.yaml's — into AlertRoutes:
//
//   alerts:
//     - webhook: "${SLACK_WEBHOOK_URL}"
//       on: [failure, retry, recovery]
//     - webhook: file:/run/secrets/ops_hook
//       on: [dag_broken]
//       template: '{"msg": "{{ dag }} {{ kind }}"}'
//
// A webhook URL is a secret, so it is never written in the file itself: only `${ENV}`
// references or a `file:` path, resolved when an alert is delivered (runtime/alert.h).
#ifndef SLUICE_SCHEDULER_ALERT_ROUTES_H_
#define SLUICE_SCHEDULER_ALERT_ROUTES_H_

#include <string>
#include <vector>

#include "runtime/alert.h"
#include "scheduler/problem_list.h"

namespace YAML {
class Node;
}  // namespace YAML

namespace sluice {

/// The routes of the `alerts` list `value` (its key `key`); every problem is added to
/// `problems` with its line and column, and the entries with problems are left out.
/// `where` names the enclosing place ("at the top level", "in the scheduler config").
std::vector<AlertRoute> ReadAlertRoutes(const YAML::Node& key, const YAML::Node& value,
                                        const std::string& where, ProblemList& problems);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_ALERT_ROUTES_H_
