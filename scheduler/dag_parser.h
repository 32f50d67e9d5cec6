// Turns a parsed YAML document into a DagSpec, reporting every problem it has.
#ifndef SLUICE_SCHEDULER_DAG_PARSER_H_
#define SLUICE_SCHEDULER_DAG_PARSER_H_

#include <set>
#include <string>

#include "runtime/plugin_catalog.h"
#include "scheduler/dag.h"
#include "scheduler/problem_list.h"

namespace YAML {
class Node;
}  // namespace YAML

namespace sluice {

/// Fills `dag` (whose `file` and `id`, the file's stem, are already set) from `root`.
/// `dag` is meaningful only when no problem was added. With `declared_pools`, a `pool` not in
/// it is a problem; without, pool names are only checked for their spelling.
void ParseDagDocument(const YAML::Node& root, const PluginCatalog& plugins, DagSpec& dag,
                      ProblemList& problems,
                      const std::set<std::string>* declared_pools = nullptr);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_DAG_PARSER_H_
