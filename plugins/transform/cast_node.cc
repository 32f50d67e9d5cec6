#include "cast_node.h"

#include <cmath>
#include <string>

#include "date_functions.h"
#include "decimal_math.h"
#include "sluice/dataset.hpp"

namespace sluice::transform {

namespace {

bool IsTime(Kind kind) { return kind == Kind::kDate || kind == Kind::kTimestamp; }

class Cast final : public CompiledExpr {
 public:
  Cast(ExprPtr operand, const ExprType& to, size_t begin, size_t end)
      : CompiledExpr(to, begin, end), operand_(std::move(operand)) {}

  const Vector& Eval(const Batch& batch, const uint8_t* active) override {
    const Vector& a = operand_->Eval(batch, active);
    Vector& out = Output(batch);
    const ExprType& from = a.type;
    for (int64_t i = 0; i < batch.rows; ++i) {
      out.valid[i] = a.valid[i];
      if (!a.valid[i]) continue;
      error_.clear();
      if (!Convert(a, i, from, batch, &out)) {
        if (IsActive(active, i)) {
          FailRow(batch, i, "cannot cast to " + TypeName(type_) + ": " + error_);
        }
        out.valid[i] = 0;
      }
    }
    return out;
  }

 private:
  // Converts row i into out; on failure sets error_ and returns false.
  bool Convert(const Vector& a, int64_t i, const ExprType& from, const Batch& batch, Vector* out) {
    switch (type_.kind) {
      case Kind::kString:
        if (from.kind == Kind::kString) {
          out->strings[i] = a.strings[i];
        } else {
          text_.clear();
          AppendValueText(&text_, a, i);
          out->strings[i] = batch.arena->Copy(text_);
        }
        return true;
      case Kind::kInt64: return ToInt64(a, i, from, &out->ints[i]);
      case Kind::kFloat64: return ToFloat64(a, i, from, &out->floats[i]);
      case Kind::kDecimal: return ToDecimal(a, i, from, &out->ints[i]);
      case Kind::kBool: {
        bool value = false;
        switch (from.kind) {
          case Kind::kString:
            if (!dataset::ParseBool(a.strings[i], &value, &error_)) return false;
            break;
          case Kind::kFloat64: value = a.floats[i] != 0; break;
          default: value = a.ints[i] != 0; break;
        }
        out->ints[i] = value ? 1 : 0;
        return true;
      }
      case Kind::kDate: {
        if (from.kind == Kind::kDate) {
          out->ints[i] = a.ints[i];
        } else if (from.kind == Kind::kTimestamp) {
          out->ints[i] = DayOfTimestamp(a.ints[i]);
        } else {
          int32_t days = 0;
          if (!dataset::ParseDate(a.strings[i], &days, &error_)) return false;
          out->ints[i] = days;
        }
        return true;
      }
      case Kind::kTimestamp: {
        if (from.kind == Kind::kTimestamp) {
          out->ints[i] = a.ints[i];
        } else if (from.kind == Kind::kDate) {
          out->ints[i] = a.ints[i] * kMicrosPerDay;
        } else {
          int64_t micros = 0;
          if (!dataset::ParseTimestamp(a.strings[i], &micros, &error_)) return false;
          out->ints[i] = micros;
        }
        return true;
      }
      case Kind::kNull: return true;
    }
    return false;
  }

  bool ToInt64(const Vector& a, int64_t i, const ExprType& from, int64_t* out) {
    switch (from.kind) {
      case Kind::kString: return dataset::ParseInt64(a.strings[i], out, &error_);
      case Kind::kDecimal:
        *out = static_cast<int64_t>(DivideHalfEven(a.ints[i], Pow10(from.scale)));
        return true;
      case Kind::kFloat64: {
        const double rounded = std::nearbyint(a.floats[i]);  // the default mode: half to even
        if (!(rounded >= -9223372036854775808.0 && rounded < 9223372036854775808.0)) {
          error_ = dataset::FormatFloat64(a.floats[i]) + " is outside the int64 range";
          return false;
        }
        *out = static_cast<int64_t>(rounded);
        return true;
      }
      default: *out = a.ints[i]; return true;
    }
  }

  bool ToFloat64(const Vector& a, int64_t i, const ExprType& from, double* out) {
    switch (from.kind) {
      case Kind::kString: return dataset::ParseFloat64(a.strings[i], out, &error_);
      case Kind::kDecimal:
        // One correctly rounded division: exact when the unscaled value has <= 15 digits.
        *out = static_cast<double>(a.ints[i]) / static_cast<double>(static_cast<int64_t>(Pow10(from.scale)));
        return true;
      case Kind::kFloat64: *out = a.floats[i]; return true;
      default: *out = static_cast<double>(a.ints[i]); return true;
    }
  }

  bool ToDecimal(const Vector& a, int64_t i, const ExprType& from, int64_t* out) {
    const int scale = type_.scale;
    int128 value = 0;
    switch (from.kind) {
      case Kind::kString: return dataset::ParseDecimal(a.strings[i], type_.precision, scale, out, &error_);
      case Kind::kFloat64: {
        const double scaled = std::nearbyint(a.floats[i] * static_cast<double>(static_cast<int64_t>(Pow10(scale))));
        if (!(std::fabs(scaled) < 1e18)) return TooBig(a, i);
        value = static_cast<int128>(scaled);
        break;
      }
      case Kind::kDecimal:
        if (!Rescale(a.ints[i], from.scale, scale, &value)) return TooBig(a, i);
        break;
      default:
        if (!Rescale(a.ints[i], 0, scale, &value)) return TooBig(a, i);
        break;
    }
    if (!FitsPrecision(value, type_.precision)) return TooBig(a, i);
    *out = static_cast<int64_t>(value);
    return true;
  }

  bool TooBig(const Vector& a, int64_t i) {
    text_.clear();
    AppendValueText(&text_, a, i);
    error_ = "'" + text_ + "' has more than " + std::to_string(type_.precision - type_.scale) +
             " digits before the point; raise the precision";
    return false;
  }

  ExprPtr operand_;
  std::string text_;   // reused for formatting
  std::string error_;  // why the current row failed
};

}  // namespace

bool CanCast(const ExprType& from, const ExprType& to) {
  if (from.kind == Kind::kNull || from == to || from.kind == Kind::kString ||
      to.kind == Kind::kString) {
    return true;
  }
  if (IsTime(from.kind) || IsTime(to.kind)) return IsTime(from.kind) && IsTime(to.kind);
  if (from.kind == Kind::kBool) return to.kind == Kind::kInt64 || to.kind == Kind::kFloat64;
  return true;  // numeric to numeric or to bool
}

ExprPtr MakeCast(ExprPtr operand, const ExprType& to, size_t begin, size_t end) {
  return std::make_unique<Cast>(std::move(operand), to, begin, end);
}

}  // namespace sluice::transform
