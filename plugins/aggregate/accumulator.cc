#include "accumulator.h"

#include <algorithm>
#include <bit>
#include <limits>

#include "sluice/plugin.hpp"

namespace sluice::aggregate {

// ---------------------------------------------------------------------------------------------
// DistinctSet

void DistinctSet::Add(uint32_t group, const ValueCell& value) {
  Pair pair{value.bits, group, 0};
  if (strings_) {
    pair.text = static_cast<uint32_t>(texts_.size());
    texts_.push_back(value.text);
  }
  pairs_.push_back(pair);
  if (pairs_.size() >= std::max<size_t>(size_t{1} << 20, 2 * compacted_size_)) Compact();
}

void DistinctSet::Compact() {
  const auto text = [&](const Pair& p) { return strings_ ? texts_[p.text] : std::string_view(); };
  std::sort(pairs_.begin(), pairs_.end(), [&](const Pair& a, const Pair& b) {
    if (a.group != b.group) return a.group < b.group;
    if (a.bits != b.bits) return a.bits < b.bits;
    return text(a) < text(b);
  });
  pairs_.erase(std::unique(pairs_.begin(), pairs_.end(),
                           [&](const Pair& a, const Pair& b) {
                             return a.group == b.group && a.bits == b.bits && text(a) == text(b);
                           }),
               pairs_.end());
  if (strings_) {  // keep only the views still referenced
    std::vector<std::string_view> kept;
    kept.reserve(pairs_.size());
    for (Pair& p : pairs_) {
      kept.push_back(texts_[p.text]);
      p.text = static_cast<uint32_t>(kept.size() - 1);
    }
    texts_.swap(kept);
  }
  compacted_size_ = pairs_.size();
}

void DistinctSet::CountInto(BigVector<int64_t>* counts) {
  Compact();
  for (const Pair& p : pairs_) ++(*counts)[p.group];
  pairs_ = {};
  texts_ = {};
}

// ---------------------------------------------------------------------------------------------
// Accumulator

namespace {

bool Summable(dataset::Type type) {
  return type == dataset::Type::kInt64 || type == dataset::Type::kDecimal || type == dataset::Type::kFloat64;
}

}  // namespace

Accumulator::Accumulator(const AggregateSpec& spec, std::optional<size_t> input_index, const dataset::Column* input)
    : spec_(spec), input_index_(input_index) {
  if (input != nullptr) input_ = *input;
  distinct_ = DistinctSet(input_.type == dataset::Type::kString);
  output_.name = spec.output_name;
  switch (input_.type) {
    case dataset::Type::kInt64: kind_ = Kind::kInteger; break;
    case dataset::Type::kDecimal: kind_ = Kind::kDecimal; break;
    case dataset::Type::kFloat64: kind_ = Kind::kFloat; break;
    default: kind_ = Kind::kOther;
  }
  const std::string call = std::string(FunctionName(spec.function)) + "(" + spec.column + ")";
  switch (spec.function) {
    case Function::kCountAll:
    case Function::kCount:
    case Function::kCountDistinct: output_.type = dataset::Type::kInt64; break;
    case Function::kSum:
    case Function::kAvg:
      if (!Summable(input_.type)) {
        throw sdk::Failure(call + ": column '" + input_.name + "' is " + dataset::TypeName(input_) + "; " +
                               FunctionName(spec.function) + " needs int64, decimal or float64 (count, min and "
                               "max work on any type)",
                           spec.config_path);
      }
      if (input_.type == dataset::Type::kDecimal) {
        const int scale = input_.scale + (spec.function == Function::kAvg ? 2 : 0);
        if (scale > dataset::kMaxDecimalPrecision) {
          throw sdk::Failure(call + ": the average of " + dataset::TypeName(input_) + " has scale " +
                                 std::to_string(scale) + ", more than 18 digits hold; reduce the column's scale first",
                             spec.config_path);
        }
        output_.type = dataset::Type::kDecimal;
        output_.precision = dataset::kMaxDecimalPrecision;
        output_.scale = scale;
      } else {
        output_.type = spec.function == Function::kAvg ? dataset::Type::kFloat64 : input_.type;
      }
      break;
    case Function::kMin:
    case Function::kMax:
      output_.type = input_.type;
      output_.precision = input_.precision;
      output_.scale = input_.scale;
      break;
  }
}

void Accumulator::Reserve(size_t groups) {
  switch (spec_.function) {
    case Function::kCountAll:
    case Function::kCount:
    case Function::kCountDistinct: counts_.reserve(groups); break;
    case Function::kSum:
    case Function::kAvg:
      counts_.reserve(groups);
      if (kind_ == Kind::kFloat) {
        real_.reserve(groups);
      } else {
        exact_.reserve(groups);
      }
      break;
    case Function::kMin:
    case Function::kMax:
      seen_.reserve(groups);
      if (input_.type == dataset::Type::kString) {
        extreme_text_.reserve(groups);
      } else {
        extreme_bits_.reserve(groups);
      }
      break;
  }
}

void Accumulator::Grow(size_t groups) {
  switch (spec_.function) {
    case Function::kCountAll:
    case Function::kCount:
    case Function::kCountDistinct: counts_.resize(groups, 0); break;
    case Function::kSum:
    case Function::kAvg:
      counts_.resize(groups, 0);
      if (kind_ == Kind::kFloat) {
        real_.resize(groups, 0.0);
      } else {
        exact_.resize(groups, 0);
      }
      break;
    case Function::kMin:
    case Function::kMax:
      seen_.resize(groups, 0);
      if (input_.type == dataset::Type::kString) {
        extreme_text_.resize(groups);
      } else {
        extreme_bits_.resize(groups, 0);
      }
      break;
  }
}

void Accumulator::Update(const dataset::ChunkView& chunk, const uint32_t* groups) {
  const int64_t rows = chunk.row_count();
  const dataset::ColumnView* view = input_index_ ? &chunk.column(*input_index_) : nullptr;
  switch (spec_.function) {
    case Function::kCountAll:
    case Function::kCount: UpdateCounts(view, groups, rows); break;
    case Function::kCountDistinct: UpdateDistinct(*view, groups, rows); break;
    case Function::kSum:
    case Function::kAvg: UpdateSums(*view, groups, rows); break;
    case Function::kMin:
    case Function::kMax: UpdateExtremes(*view, groups, rows); break;
  }
}

void Accumulator::UpdateCounts(const dataset::ColumnView* view, const uint32_t* groups, int64_t rows) {
  if (view == nullptr || view->null_count() == 0) {
    for (int64_t r = 0; r < rows; ++r) ++counts_[groups[r]];
    return;
  }
  for (int64_t r = 0; r < rows; ++r) {
    if (!view->IsNull(r)) ++counts_[groups[r]];
  }
}

void Accumulator::UpdateSums(const dataset::ColumnView& view, const uint32_t* groups, int64_t rows) {
  for (int64_t r = 0; r < rows; ++r) {
    if (view.IsNull(r)) continue;
    const uint32_t g = groups[r];
    switch (kind_) {
      case Kind::kInteger: exact_[g] += view.Int64At(r); break;
      case Kind::kDecimal: exact_[g] += view.DecimalAt(r); break;
      case Kind::kFloat: real_[g] += view.Float64At(r); break;
      case Kind::kOther: break;
    }
    ++counts_[g];
  }
}

void Accumulator::UpdateExtremes(const dataset::ColumnView& view, const uint32_t* groups, int64_t rows) {
  const bool want_min = spec_.function == Function::kMin;
  const dataset::Type type = input_.type;
  if (type == dataset::Type::kString) {
    for (int64_t r = 0; r < rows; ++r) {
      if (view.IsNull(r)) continue;
      const uint32_t g = groups[r];
      const std::string_view text = view.StringAt(r);
      if (!seen_[g] || (want_min ? text < extreme_text_[g] : text > extreme_text_[g])) {
        extreme_text_[g] = text;
        seen_[g] = 1;
      }
    }
    return;
  }
  for (int64_t r = 0; r < rows; ++r) {
    if (view.IsNull(r)) continue;
    const uint32_t g = groups[r];
    ValueCell cell = ReadCell(view, r);
    if (type == dataset::Type::kFloat64) cell.bits = std::bit_cast<uint64_t>(view.Float64At(r));
    const ValueCell best{extreme_bits_[g], {}, false};
    const int cmp = seen_[g] ? CompareCells(type, cell, best) : 0;
    if (!seen_[g] || (want_min ? cmp < 0 : cmp > 0)) {
      extreme_bits_[g] = cell.bits;
      seen_[g] = 1;
    }
  }
}

void Accumulator::UpdateDistinct(const dataset::ColumnView& view, const uint32_t* groups, int64_t rows) {
  for (int64_t r = 0; r < rows; ++r) {
    if (!view.IsNull(r)) distinct_.Add(groups[r], ReadCell(view, r));
  }
}

void Accumulator::Finish() {
  if (spec_.function == Function::kCountDistinct) distinct_.CountInto(&counts_);
}

void Accumulator::Overflow(const std::string& value, const std::string& limit) const {
  throw sdk::Failure(std::string(FunctionName(spec_.function)) + "(" + spec_.column + ") of one group is " + value +
                         ", which does not fit " + limit,
                     spec_.config_path);
}

void Accumulator::Gather(const uint32_t* groups, size_t n, ColumnSlice* out) const {
  // Groups come in key order, so every read below is a random one: start loading the state
  // of the group a few places ahead (the loads overlap instead of waiting one by one).
  constexpr size_t kAhead = 16;
  const auto prefetch = [&](const auto& state) {
    if (state.empty()) return;
    for (size_t i = 0; i < std::min(n, kAhead); ++i) __builtin_prefetch(&state[groups[i]]);
  };
  const auto prefetch_ahead = [&](const auto& state, size_t i) {
    if (!state.empty() && i + kAhead < n) __builtin_prefetch(&state[groups[i + kAhead]]);
  };
  prefetch(counts_);
  prefetch(exact_);
  prefetch(real_);
  prefetch(extreme_bits_);
  switch (spec_.function) {
    case Function::kCountAll:
    case Function::kCount:
    case Function::kCountDistinct:
      for (size_t i = 0; i < n; ++i) {
        prefetch_ahead(counts_, i);
        out->Set(i, static_cast<uint64_t>(counts_[groups[i]]));
      }
      return;
    case Function::kMin:
    case Function::kMax:
      for (size_t i = 0; i < n; ++i) {
        prefetch_ahead(extreme_bits_, i);
        prefetch_ahead(extreme_text_, i);
        const uint32_t g = groups[i];
        out->present[i] = seen_[g];
        if (input_.type == dataset::Type::kString) {
          out->text[i] = extreme_text_[g];
        } else {
          out->bits[i] = extreme_bits_[g];
        }
      }
      return;
    case Function::kSum:
    case Function::kAvg:
      for (size_t i = 0; i < n; ++i) {
        prefetch_ahead(counts_, i);
        prefetch_ahead(exact_, i);
        prefetch_ahead(real_, i);
        if (counts_[groups[i]] == 0) {
          out->SetNull(i);
        } else {
          out->Set(i, SumOrAverage(groups[i]));
        }
      }
      return;
  }
}

uint64_t Accumulator::SumOrAverage(uint32_t group) const {
  const bool avg = spec_.function == Function::kAvg;
  const int64_t count = counts_[group];
  if (kind_ == Kind::kFloat) {
    return std::bit_cast<uint64_t>(avg ? real_[group] / static_cast<double>(count) : real_[group]);
  }
  const Int128 sum = exact_[group];
  if (kind_ == Kind::kInteger) {
    if (avg) return std::bit_cast<uint64_t>(static_cast<double>(sum) / static_cast<double>(count));
    if (sum > std::numeric_limits<int64_t>::max() || sum < std::numeric_limits<int64_t>::min()) {
      Overflow(Int128Text(sum), "int64; cast the column to float64 in a `transform` task, or group more finely");
    }
    return static_cast<uint64_t>(static_cast<int64_t>(sum));
  }
  // Decimal: the average gains two digits of scale, so the sum is scaled by 100 first.
  const Int128 value = avg ? DivideRoundHalfEven(sum * 100, count) : sum;
  if (!FitsDecimal18(value)) {
    Overflow(Int128Text(value) + " (unscaled)", "decimal(18," + std::to_string(output_.scale) +
                                                  "): the result has more than 18 digits; group more finely or "
                                                  "reduce the column's scale");
  }
  return static_cast<uint64_t>(static_cast<int64_t>(value));
}

}  // namespace sluice::aggregate
