// Joins that hang off the first joined input, solved once per row of that input.
//
// In movimento -> cartao -> conta -> associado, only the first join reads the `from` input
// (m.id_cartao = c.id); the others read cartao and conta. With unique keys, a cartao row has
// at most one conta and one associado, whichever movimento row reaches it. So the later joins
// are run once per cartao row (150k) instead of once per movimento row (1M), and a movimento
// row then costs one lookup. The output is the same, row for row and in the same order.
#ifndef SLUICE_PLUGINS_JOIN_DIMENSION_FOLD_H_
#define SLUICE_PLUGINS_JOIN_DIMENSION_FOLD_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "input_table.h"

namespace sluice::join {

class JoinPlan;

class DimensionFold {
 public:
  /// Stands for "no row of input 1" (a left join's unmatched `from` row).
  static constexpr uint32_t kAbsentRow = 0xffffffffu;

  /// Solves the joins after the first for every row of input 1, or returns null when the
  /// plan does not allow it: fewer than three inputs, a right or full join, a joined input
  /// with repeated keys, or a join after the first that reads a column of the `from` input.
  /// REQUIRES: the plan's hash tables are built.
  static std::unique_ptr<DimensionFold> TryBuild(const JoinPlan& plan);

  /// Where inputs 2, 3, ... are for row `row` of input 1 (its index in input order, as
  /// BuildSide numbers rows; kAbsentRow for none): width - 2 references, null ones where a
  /// left join found no match; or nullptr when an inner join drops the row.
  const RowRef* Completion(uint32_t row) const {
    const size_t index = row == kAbsentRow ? dropped_.size() - 1 : row;
    return dropped_[index] ? nullptr : refs_.data() + index * tail_width_;
  }

 private:
  explicit DimensionFold(size_t tail_width) : tail_width_(tail_width) {}

  size_t tail_width_;             // inputs after input 1
  std::vector<RowRef> refs_;      // tail_width_ per row of input 1, then the absent row's
  std::vector<uint8_t> dropped_;  // per row of input 1, then the absent row
};

}  // namespace sluice::join

#endif  // SLUICE_PLUGINS_JOIN_DIMENSION_FOLD_H_
