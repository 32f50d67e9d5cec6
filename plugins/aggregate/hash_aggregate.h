// Runs a parsed aggregation over one dataset and writes one row per group.
#ifndef SLUICE_PLUGINS_AGGREGATE_HASH_AGGREGATE_H_
#define SLUICE_PLUGINS_AGGREGATE_HASH_AGGREGATE_H_

#include <cstdint>
#include <string>

#include "aggregate_spec.h"
#include "sluice/dataset.hpp"

namespace sluice::aggregate {

struct AggregateStats {
  int64_t rows_in = 0;
  int64_t groups_out = 0;
  uint64_t bytes_out = 0;
};

/// Hash aggregation: streams `input_path` chunk by chunk, assigns each row its group (a hash
/// table on the key; strings stay views into the mapped input), updates every aggregate a
/// column at a time, then writes the groups sorted by key ascending, nulls first: group
/// columns, then aggregates. Without group_by there is exactly one output row, even for an
/// empty input. Checks columns and types against the input's schema first; throws
/// sdk::Failure (config path set) or dataset::Error. Nothing appears at `output_path` unless
/// it succeeds.
AggregateStats RunAggregate(const AggregateTaskSpec& spec, const std::string& input_path,
                            const std::string& output_path, const dataset::WriterOptions& options = {});

}  // namespace sluice::aggregate

#endif  // SLUICE_PLUGINS_AGGREGATE_HASH_AGGREGATE_H_
