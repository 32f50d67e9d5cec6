// One aggregate function's state for every group, updated a chunk at a time.
#ifndef SLUICE_PLUGINS_AGGREGATE_ACCUMULATOR_H_
#define SLUICE_PLUGINS_AGGREGATE_ACCUMULATOR_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "aggregate_spec.h"
#include "big_vector.h"
#include "column_slice.h"
#include "decimal_math.h"
#include "sluice/dataset.hpp"
#include "value_cell.h"

namespace sluice::aggregate {

/// The (group, value) pairs seen by one count_distinct. Pairs are appended as they come
/// (16 bytes each, sequential writes) and deduplicated by sorting whenever they have doubled
/// since the last time, so memory stays proportional to the distinct pairs; this beats a
/// hash set, whose random accesses miss the cache once it outgrows it. Strings are kept as
/// views into the mapped input.
class DistinctSet {
 public:
  /// `strings`: values are strings, compared by their text, not only their hash.
  explicit DistinctSet(bool strings = false) : strings_(strings) {}
  /// REQUIRES: !value.null.
  void Add(uint32_t group, const ValueCell& value);
  /// Adds each group's number of distinct values to (*counts)[group]. Call once, at the end.
  void CountInto(BigVector<int64_t>* counts);

 private:
  struct Pair {
    uint64_t bits = 0;  // the value, or a string's hash
    uint32_t group = 0;
    uint32_t text = 0;  // strings: index into texts_
  };
  void Compact();

  bool strings_;
  std::vector<Pair> pairs_;
  std::vector<std::string_view> texts_;
  size_t compacted_size_ = 0;
};

/// Types (see docs/plugins/aggregate.md): counts are int64; sum keeps int64 and float64 and
/// makes decimal(P,S) decimal(18,S); avg of int64 is float64, of decimal(P,S) decimal(18,S+2)
/// rounded half to even; min and max keep the type. Sums are exact 128-bit integers until
/// output, where a value beyond int64 or 18 digits is an error.
class Accumulator {
 public:
  /// `input` is the aggregated column (nullopt for count(*)) and its index in the dataset.
  /// Throws sdk::Failure at spec.config_path when the function does not apply to its type.
  Accumulator(const AggregateSpec& spec, std::optional<size_t> input_index, const dataset::Column* input);

  const dataset::Column& output_column() const { return output_; }

  /// Reserves address space for `groups` groups (see GroupTable::Reserve).
  void Reserve(size_t groups);

  /// Makes room for groups 0..groups-1 (new groups start empty).
  void Grow(size_t groups);

  /// Adds the rows of `chunk`; row r belongs to group groups[r].
  void Update(const dataset::ChunkView& chunk, const uint32_t* groups);

  /// Completes the state after the last Update. REQUIRES: Grow(group count) was called.
  void Finish();

  /// Sets out[i] to the result of group groups[i], for i < n. Throws sdk::Failure when a sum
  /// or average does not fit its output type.
  void Gather(const uint32_t* groups, size_t n, ColumnSlice* out) const;

 private:
  enum class Kind { kInteger, kDecimal, kFloat, kOther };  // of the input column

  void UpdateCounts(const dataset::ColumnView* view, const uint32_t* groups, int64_t rows);
  void UpdateSums(const dataset::ColumnView& view, const uint32_t* groups, int64_t rows);
  void UpdateExtremes(const dataset::ColumnView& view, const uint32_t* groups, int64_t rows);
  void UpdateDistinct(const dataset::ColumnView& view, const uint32_t* groups, int64_t rows);
  uint64_t SumOrAverage(uint32_t group) const;  // REQUIRES: the group has a value
  [[noreturn]] void Overflow(const std::string& value, const std::string& limit) const;

  AggregateSpec spec_;
  std::optional<size_t> input_index_;
  dataset::Column input_;
  dataset::Column output_;
  Kind kind_ = Kind::kOther;
  BigVector<int64_t> counts_;  // count, count_distinct; sum/avg: values added (0: null result)
  BigVector<Int128> exact_;    // sum/avg of int64 and decimal
  BigVector<double> real_;     // sum/avg of float64
  // min/max: the best value so far as ValueCell::bits (raw bits for float64), or the text
  // for strings; seen_ says whether a value arrived (else the result is null).
  BigVector<uint64_t> extreme_bits_;
  BigVector<std::string_view> extreme_text_;
  BigVector<uint8_t> seen_;
  DistinctSet distinct_;
};

}  // namespace sluice::aggregate

#endif  // SLUICE_PLUGINS_AGGREGATE_ACCUMULATOR_H_
