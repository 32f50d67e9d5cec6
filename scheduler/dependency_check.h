// Checks that tasks can be ordered: unique ids, dependencies that exist and are not the
// task itself, and no dependency cycles.
#ifndef SLUICE_SCHEDULER_DEPENDENCY_CHECK_H_
#define SLUICE_SCHEDULER_DEPENDENCY_CHECK_H_

#include <vector>

#include "scheduler/problem_list.h"
#include "scheduler/task_parser.h"

namespace sluice {

/// Reports every such problem of `tasks` (in file order).
void CheckDependencies(const std::vector<ParsedTask>& tasks, ProblemList& problems);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_DEPENDENCY_CHECK_H_
