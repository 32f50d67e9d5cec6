// Everything a join reads while it runs: the opened inputs, the checked keys, the output
// columns and one hash table per joined input. Built once; afterwards only read, so that
// several lanes (threads) may join chunks of the `from` input against it at once.
#ifndef SLUICE_PLUGINS_JOIN_JOIN_PLAN_H_
#define SLUICE_PLUGINS_JOIN_JOIN_PLAN_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "build_side.h"
#include "dimension_fold.h"
#include "input_table.h"
#include "join_spec.h"
#include "output_columns.h"
#include "sluice/dataset.hpp"

namespace sluice::join {

/// A key column on the probe side: a column of an input joined earlier.
struct ProbeColumn {
  size_t input = 0;
  size_t column = 0;
};

class JoinPlan {
 public:
  /// Opens the inputs, checks every `on` column and key type and the `select` against the
  /// real schemas (sdk::Failure with the config path), and builds the hash tables.
  /// REQUIRES: paths[i] is spec.inputs[i]'s dataset; each join input has keys.
  JoinPlan(const JoinSpec& spec, const std::vector<std::string>& paths);
  ~JoinPlan();

  const JoinSpec& spec() const { return spec_; }
  size_t width() const { return tables_.size(); }  ///< inputs, `from` first
  InputTable& table(size_t input) const { return *tables_[input]; }
  /// The hash table of joined input `input` (1 .. width()-1).
  BuildSide& build(size_t input) const { return *builds_[input]; }
  /// Stage `input`'s key columns on the probe side, one per `on` equality.
  const std::vector<ProbeColumn>& probe_columns(size_t input) const { return probe_columns_[input]; }
  const std::vector<OutputColumn>& outputs() const { return outputs_; }
  /// The joins after the first, solved once per row of input 1; null when they depend on
  /// the `from` input (see dimension_fold.h).
  const DimensionFold* fold() const { return fold_.get(); }

  /// Reads stage `s`'s key of `tuple` (one RowRef per input) into key[] and its hash; false
  /// when a component is null (a null never matches).
  bool ReadProbeKey(size_t s, const RowRef* tuple, KeyValue* key, uint64_t* hash) const;
  /// Starts loading stage `s`'s key values of `tuple`, so that ReadProbeKey a few tuples
  /// later finds them in cache.
  void PrefetchProbeKey(size_t s, const RowRef* tuple) const;

  dataset::Schema OutputSchema() const;
  int64_t RowsIn() const;

  /// Whether chunks of the `from` input may be joined independently, in any order, and their
  /// results written in chunk order: no right or full join (whose unmatched rows depend on
  /// every chunk) and unique keys on every joined input (a row yields at most one row, so a
  /// chunk's result is no larger than the chunk).
  bool ChunksAreIndependent() const;

 private:
  void ResolveKeys();

  const JoinSpec& spec_;
  std::vector<std::unique_ptr<InputTable>> tables_;
  std::vector<std::vector<ProbeColumn>> probe_columns_;  // by stage
  std::vector<std::vector<size_t>> build_columns_;       // by stage
  std::vector<std::unique_ptr<BuildSide>> builds_;       // by stage; [0] unused
  std::vector<OutputColumn> outputs_;
  std::unique_ptr<DimensionFold> fold_;
};

}  // namespace sluice::join

#endif  // SLUICE_PLUGINS_JOIN_JOIN_PLAN_H_
