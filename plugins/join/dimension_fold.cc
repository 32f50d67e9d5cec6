#include "dimension_fold.h"

#include "join_plan.h"

namespace sluice::join {
namespace {

bool CanFold(const JoinPlan& plan) {
  if (plan.width() < 3 || !plan.ChunksAreIndependent()) return false;
  for (size_t s = 2; s < plan.width(); ++s) {
    for (const ProbeColumn& column : plan.probe_columns(s)) {
      if (column.input == 0) return false;
    }
  }
  return true;
}

}  // namespace

std::unique_ptr<DimensionFold> DimensionFold::TryBuild(const JoinPlan& plan) {
  if (!CanFold(plan)) return nullptr;
  const size_t width = plan.width();
  BuildSide& first = plan.build(1);
  const size_t rows = first.row_count();
  std::unique_ptr<DimensionFold> fold(new DimensionFold(width - 2));
  fold->refs_.resize((rows + 1) * (width - 2));
  fold->dropped_.assign(rows + 1, 0);

  std::vector<RowRef> tuple(width);
  std::vector<KeyValue> key;
  for (size_t row = 0; row <= rows; ++row) {  // the last one: no row of input 1
    std::fill(tuple.begin(), tuple.end(), RowRef{});
    if (row < rows) tuple[1] = first.ref(row);
    bool dropped = false;
    for (size_t s = 2; s < width && !dropped; ++s) {
      key.resize(plan.probe_columns(s).size());
      uint64_t hash = 0;
      bool matched = false;
      if (plan.ReadProbeKey(s, tuple.data(), key.data(), &hash)) {
        plan.build(s).ForEachMatch(hash, key.data(), [&](uint32_t, RowRef ref) {
          matched = true;
          tuple[s] = ref;
        });
      }
      dropped = !matched && plan.spec().inputs[s].type == JoinType::kInner;
    }
    fold->dropped_[row] = dropped ? 1 : 0;
    std::copy(tuple.begin() + 2, tuple.end(), fold->refs_.begin() + static_cast<std::ptrdiff_t>(row * (width - 2)));
  }
  return fold;
}

}  // namespace sluice::join
