// Test helper: a DAG written as "id:dep1,dep2" strings, for planner tests that care only about
// the graph.
#ifndef SLUICE_SCHEDULER_DAG_EDGES_TEST_UTIL_H_
#define SLUICE_SCHEDULER_DAG_EDGES_TEST_UTIL_H_

#include <string>
#include <vector>

#include "scheduler/dag.h"

namespace sluice {

/// One task per string, "id" or "id:dep1,dep2", in order; the DAG's id is "t".
inline DagSpec DagFromEdges(const std::vector<std::string>& tasks) {
  DagSpec dag;
  dag.id = "t";
  for (const std::string& text : tasks) {
    TaskSpec spec;
    const size_t colon = text.find(':');
    spec.id = text.substr(0, colon);
    for (size_t start = colon + 1; colon != std::string::npos && start <= text.size();) {
      size_t comma = text.find(',', start);
      if (comma == std::string::npos) comma = text.size();
      spec.depends_on.push_back(text.substr(start, comma - start));
      start = comma + 1;
    }
    dag.tasks.push_back(spec);
  }
  return dag;
}

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_DAG_EDGES_TEST_UTIL_H_
