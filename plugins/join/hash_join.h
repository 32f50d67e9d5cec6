// Runs a parsed join over the input datasets and writes the joined dataset.
#ifndef SLUICE_PLUGINS_JOIN_HASH_JOIN_H_
#define SLUICE_PLUGINS_JOIN_HASH_JOIN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "join_spec.h"
#include "sluice/dataset.hpp"

namespace sluice::join {

struct JoinStats {
  int64_t rows_in = 0;  ///< rows read, over all inputs
  int64_t rows_out = 0;
  uint64_t bytes_out = 0;
};

/// Left-deep hash join: a hash table is built on each `join` input (row references into its
/// mapped file), then the `from` input is streamed chunk by chunk through every join in turn
/// and the result is written as it comes. Row order: the `from` input's order, each row
/// followed by its matches in their input order; then, for each right/full join in turn, its
/// unmatched rows in their input order (passed through the joins after it).
/// Checks column names and key types against the real schemas first; throws sdk::Failure
/// (config path set) or dataset::Error. Nothing appears at `output_path` unless it succeeds.
/// REQUIRES: dataset_paths[i] is spec.inputs[i]'s dataset; each join input has keys.
JoinStats RunJoin(const JoinSpec& spec, const std::vector<std::string>& dataset_paths,
                  const std::string& output_path, const dataset::WriterOptions& options = {});

}  // namespace sluice::join

#endif  // SLUICE_PLUGINS_JOIN_HASH_JOIN_H_
