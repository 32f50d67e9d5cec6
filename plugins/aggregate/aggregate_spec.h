// What an aggregate task asks for, once its configuration is parsed: the group columns and
// the aggregate functions, by name. Schemas are checked later (see aggregate_plan.h).
#ifndef SLUICE_PLUGINS_AGGREGATE_AGGREGATE_SPEC_H_
#define SLUICE_PLUGINS_AGGREGATE_AGGREGATE_SPEC_H_

#include <string>
#include <vector>

namespace sluice::aggregate {

/// A time bucket applied to a date or timestamp group column; the result is a date.
enum class Bucket { kNone, kDay, kMonth, kYear };

/// One `group_by` entry.
struct GroupSpec {
  std::string column;
  Bucket bucket = Bucket::kNone;
  std::string output_name;  ///< `as`, or the column's name
  std::string config_path;  ///< "/group_by/1"
};

enum class Function { kCountAll, kCount, kCountDistinct, kSum, kAvg, kMin, kMax };

/// One `aggregates` entry: "output_name = function(column)".
struct AggregateSpec {
  std::string output_name;
  Function function = Function::kCountAll;
  std::string column;  ///< empty for count(*)
  std::string config_path;  ///< "/aggregates/2"
};

struct AggregateTaskSpec {
  std::string input;  ///< upstream task id; empty: the only upstream dataset
  std::vector<GroupSpec> group_by;
  std::vector<AggregateSpec> aggregates;
};

/// "count", "count_distinct", "sum", ... as written (count(*) is "count").
const char* FunctionName(Function function);

}  // namespace sluice::aggregate

#endif  // SLUICE_PLUGINS_AGGREGATE_AGGREGATE_SPEC_H_
