#include "operator_nodes.h"

#include <cstring>
#include <utility>

#include "decimal_math.h"

namespace sluice::transform {

namespace {

// ---------------------------------------------------------------------------------------------
// Values

class ColumnRef final : public CompiledExpr {
 public:
  ColumnRef(size_t column, ExprType type, size_t begin, size_t end)
      : CompiledExpr(type, begin, end), column_(column) {}
  const Vector& Eval(const Batch& batch, const uint8_t*) override { return batch.columns[column_]; }

 private:
  size_t column_;
};

class Literal final : public CompiledExpr {
 public:
  Literal(ExprType type, bool is_null, int64_t int_value, std::string text, size_t begin, size_t end)
      : CompiledExpr(type, begin, end), is_null_(is_null), int_value_(int_value), text_(std::move(text)) {}

  const Vector& Eval(const Batch& batch, const uint8_t*) override {
    if (filled_rows_ == batch.rows) return out_;  // a constant: fill once per chunk size
    Vector& out = Output(batch);
    std::fill(out.valid.begin(), out.valid.end(), static_cast<uint8_t>(is_null_ ? 0 : 1));
    switch (type_.kind) {
      case Kind::kString: std::fill(out.strings.begin(), out.strings.end(), std::string_view(text_)); break;
      case Kind::kFloat64: std::fill(out.floats.begin(), out.floats.end(), 0.0); break;
      case Kind::kNull: break;
      default: std::fill(out.ints.begin(), out.ints.end(), int_value_); break;
    }
    filled_rows_ = batch.rows;
    return out_;
  }

 private:
  bool is_null_;
  int64_t int_value_;
  std::string text_;  // string literals point here: it lives as long as the node
  int64_t filled_rows_ = -1;
};

std::string ValueText(const Vector& v, int64_t row) {
  std::string text;
  AppendValueText(&text, v, row);
  return text;
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

const char* Symbol(ArithmeticOp op) {
  switch (op) {
    case ArithmeticOp::kAdd: return "+";
    case ArithmeticOp::kSubtract: return "-";
    case ArithmeticOp::kMultiply: return "*";
    case ArithmeticOp::kDivide: return "/";
  }
  return "?";
}

class BinaryNode : public CompiledExpr {
 public:
  BinaryNode(ExprType type, ExprPtr left, ExprPtr right, size_t begin, size_t end)
      : CompiledExpr(type, begin, end), left_(std::move(left)), right_(std::move(right)) {}

 protected:
  ExprPtr left_, right_;
};

class IntArithmetic final : public BinaryNode {
 public:
  IntArithmetic(ArithmeticOp op, ExprPtr left, ExprPtr right, size_t begin, size_t end)
      : BinaryNode(ExprType::Int64(), std::move(left), std::move(right), begin, end), op_(op) {}

  const Vector& Eval(const Batch& batch, const uint8_t* active) override {
    const Vector& a = left_->Eval(batch, active);
    const Vector& b = right_->Eval(batch, active);
    Vector& out = Output(batch);
    for (int64_t i = 0; i < batch.rows; ++i) {
      uint8_t valid = a.valid[i] & b.valid[i];
      const int64_t x = a.ints[i], y = b.ints[i];
      int64_t r = 0;
      bool overflow = false;
      switch (op_) {
        case ArithmeticOp::kAdd: overflow = __builtin_add_overflow(x, y, &r); break;
        case ArithmeticOp::kSubtract: overflow = __builtin_sub_overflow(x, y, &r); break;
        case ArithmeticOp::kMultiply: overflow = __builtin_mul_overflow(x, y, &r); break;
        case ArithmeticOp::kDivide:
          if (y == 0) {
            valid = 0;  // division by zero is null
          } else if (x == INT64_MIN && y == -1) {
            overflow = true;
          } else {
            r = x / y;
          }
          break;
      }
      if (overflow && valid) {
        if (IsActive(active, i)) {
          FailRow(batch, i, "int64 overflow: " + std::to_string(x) + " " + Symbol(op_) + " " +
                                std::to_string(y) + " does not fit int64; cast an operand to "
                                "decimal(18,0) or float64 first");
        }
        valid = 0;
      }
      out.valid[i] = valid;
      out.ints[i] = r;
    }
    return out;
  }

 private:
  ArithmeticOp op_;
};

class DecimalArithmetic final : public BinaryNode {
 public:
  DecimalArithmetic(ArithmeticOp op, ExprType result, ExprPtr left, ExprPtr right, size_t begin,
                    size_t end)
      : BinaryNode(result, std::move(left), std::move(right), begin, end), op_(op) {
    left_scale_ = left_->type().kind == Kind::kDecimal ? left_->type().scale : 0;
    right_scale_ = right_->type().kind == Kind::kDecimal ? right_->type().scale : 0;
    if (op == ArithmeticOp::kAdd || op == ArithmeticOp::kSubtract) {
      left_factor_ = Pow10(result.scale - left_scale_);
      right_factor_ = Pow10(result.scale - right_scale_);
    } else if (op == ArithmeticOp::kDivide) {
      // (x / 10^ls) / (y / 10^rs) = r / 10^s  =>  r = x * 10^(s - ls + rs) / y
      left_factor_ = Pow10(result.scale - left_scale_ + right_scale_);
    }
  }

  const Vector& Eval(const Batch& batch, const uint8_t* active) override {
    const Vector& a = left_->Eval(batch, active);
    const Vector& b = right_->Eval(batch, active);
    Vector& out = Output(batch);
    for (int64_t i = 0; i < batch.rows; ++i) {
      uint8_t valid = a.valid[i] & b.valid[i];
      const int128 x = a.ints[i], y = b.ints[i];
      int128 r = 0;
      bool overflow = false;
      switch (op_) {
        case ArithmeticOp::kAdd: r = x * left_factor_ + y * right_factor_; break;
        case ArithmeticOp::kSubtract: r = x * left_factor_ - y * right_factor_; break;
        case ArithmeticOp::kMultiply: r = x * y; break;
        case ArithmeticOp::kDivide: {
          int128 numerator = 0;
          if (y == 0) {
            valid = 0;
          } else if (__builtin_mul_overflow(x, left_factor_, &numerator)) {
            overflow = true;
          } else {
            r = DivideHalfEven(numerator, y);
          }
          break;
        }
      }
      overflow = overflow || !FitsPrecision(r, type_.precision);
      if (overflow && valid) {
        if (IsActive(active, i)) {
          FailRow(batch, i, "decimal overflow: " + ValueText(a, i) + " " + Symbol(op_) + " " +
                                ValueText(b, i) + " does not fit " + TypeName(type_) +
                                "; cast the operands to float64 if approximate values will do");
        }
        valid = 0;
      }
      out.valid[i] = valid;
      out.ints[i] = valid ? static_cast<int64_t>(r) : 0;
    }
    return out;
  }

 private:
  ArithmeticOp op_;
  int left_scale_ = 0, right_scale_ = 0;
  int128 left_factor_ = 1, right_factor_ = 1;
};

class FloatArithmetic final : public BinaryNode {
 public:
  FloatArithmetic(ArithmeticOp op, ExprPtr left, ExprPtr right, size_t begin, size_t end)
      : BinaryNode(ExprType::Float64(), std::move(left), std::move(right), begin, end), op_(op) {}

  const Vector& Eval(const Batch& batch, const uint8_t* active) override {
    const Vector& a = left_->Eval(batch, active);
    const Vector& b = right_->Eval(batch, active);
    Vector& out = Output(batch);
    for (int64_t i = 0; i < batch.rows; ++i) {
      const double x = a.floats[i], y = b.floats[i];
      uint8_t valid = a.valid[i] & b.valid[i];
      double r = 0;
      switch (op_) {
        case ArithmeticOp::kAdd: r = x + y; break;
        case ArithmeticOp::kSubtract: r = x - y; break;
        case ArithmeticOp::kMultiply: r = x * y; break;
        case ArithmeticOp::kDivide:
          if (y == 0) valid = 0;  // null, as for exact numbers, rather than inf
          else r = x / y;
          break;
      }
      out.valid[i] = valid;
      out.floats[i] = r;
    }
    return out;
  }

 private:
  ArithmeticOp op_;
};

class Negate final : public CompiledExpr {
 public:
  Negate(ExprPtr operand, size_t begin, size_t end)
      : CompiledExpr(operand->type(), begin, end), operand_(std::move(operand)) {}

  const Vector& Eval(const Batch& batch, const uint8_t* active) override {
    const Vector& a = operand_->Eval(batch, active);
    Vector& out = Output(batch);
    out.valid = a.valid;
    if (type_.kind == Kind::kFloat64) {
      for (int64_t i = 0; i < batch.rows; ++i) out.floats[i] = -a.floats[i];
      return out;
    }
    for (int64_t i = 0; i < batch.rows; ++i) {
      if (a.ints[i] == INT64_MIN && a.valid[i]) {
        if (IsActive(active, i)) FailRow(batch, i, "int64 overflow: -(" + std::to_string(a.ints[i]) + ")");
        out.valid[i] = 0;
        continue;
      }
      out.ints[i] = -a.ints[i];
    }
    return out;
  }

 private:
  ExprPtr operand_;
};

class Concat final : public BinaryNode {
 public:
  Concat(ExprPtr left, ExprPtr right, size_t begin, size_t end)
      : BinaryNode(ExprType::String(), std::move(left), std::move(right), begin, end) {}

  const Vector& Eval(const Batch& batch, const uint8_t* active) override {
    const Vector& a = left_->Eval(batch, active);
    const Vector& b = right_->Eval(batch, active);
    Vector& out = Output(batch);
    for (int64_t i = 0; i < batch.rows; ++i) {
      out.valid[i] = a.valid[i] & b.valid[i];
      if (!out.valid[i]) continue;
      const std::string_view x = Text(a, i, &left_text_), y = Text(b, i, &right_text_);
      char* at = batch.arena->Allocate(x.size() + y.size());
      std::memcpy(at, x.data(), x.size());
      std::memcpy(at + x.size(), y.data(), y.size());
      out.strings[i] = std::string_view(at, x.size() + y.size());
    }
    return out;
  }

 private:
  static std::string_view Text(const Vector& v, int64_t row, std::string* buffer) {
    if (v.type.kind == Kind::kString) return v.strings[row];
    buffer->clear();
    AppendValueText(buffer, v, row);
    return *buffer;
  }
  std::string left_text_, right_text_;  // reused for formatting non-strings
};

// ---------------------------------------------------------------------------------------------
// Comparisons

constexpr int kUnordered = 2;

bool Decide(CompareOp op, int order) {
  switch (op) {
    case CompareOp::kEqual: return order == 0;
    case CompareOp::kNotEqual: return order != 0;
    case CompareOp::kLess: return order == -1;
    case CompareOp::kLessEqual: return order == -1 || order == 0;
    case CompareOp::kGreater: return order == 1;
    case CompareOp::kGreaterEqual: return order == 1 || order == 0;
  }
  return false;
}

template <typename T>
int Order(const T& x, const T& y) {
  return (x > y) - (x < y);
}

class Compare final : public BinaryNode {
 public:
  enum class Mode { kExact, kFloat, kExactWithFloat, kFloatWithExact, kInts, kStrings };

  Compare(CompareOp op, ExprPtr left, ExprPtr right, size_t begin, size_t end)
      : BinaryNode(ExprType::Bool(), std::move(left), std::move(right), begin, end), op_(op) {
    const ExprType& l = left_->type();
    const ExprType& r = right_->type();
    const bool left_float = l.kind == Kind::kFloat64, right_float = r.kind == Kind::kFloat64;
    left_scale_ = l.kind == Kind::kDecimal ? l.scale : 0;
    right_scale_ = r.kind == Kind::kDecimal ? r.scale : 0;
    if (l.kind == Kind::kString) {
      mode_ = Mode::kStrings;
    } else if (!l.is_numeric()) {
      mode_ = Mode::kInts;
    } else if (left_float && right_float) {
      mode_ = Mode::kFloat;
    } else if (left_float) {
      mode_ = Mode::kFloatWithExact;
    } else if (right_float) {
      mode_ = Mode::kExactWithFloat;
    } else {
      mode_ = Mode::kExact;
      const int scale = std::max(left_scale_, right_scale_);
      left_factor_ = Pow10(scale - left_scale_);
      right_factor_ = Pow10(scale - right_scale_);
    }
  }

  const Vector& Eval(const Batch& batch, const uint8_t* active) override {
    const Vector& a = left_->Eval(batch, active);
    const Vector& b = right_->Eval(batch, active);
    Vector& out = Output(batch);
    for (int64_t i = 0; i < batch.rows; ++i) out.valid[i] = a.valid[i] & b.valid[i];
    switch (mode_) {
      case Mode::kExact:
        Fill(batch.rows, [&](int64_t i) {
          return Order(int128{a.ints[i]} * left_factor_, int128{b.ints[i]} * right_factor_);
        });
        break;
      case Mode::kFloat:
        Fill(batch.rows, [&](int64_t i) {
          const double x = a.floats[i], y = b.floats[i];
          return x != x || y != y ? kUnordered : Order(x, y);
        });
        break;
      case Mode::kExactWithFloat:
        Fill(batch.rows, [&](int64_t i) {
          return CompareDecimalWithDouble(a.ints[i], left_scale_, b.floats[i]);
        });
        break;
      case Mode::kFloatWithExact:
        Fill(batch.rows, [&](int64_t i) {
          const int order = CompareDecimalWithDouble(b.ints[i], right_scale_, a.floats[i]);
          return order == kUnordered ? kUnordered : -order;
        });
        break;
      case Mode::kInts: Fill(batch.rows, [&](int64_t i) { return Order(a.ints[i], b.ints[i]); }); break;
      case Mode::kStrings:
        Fill(batch.rows, [&](int64_t i) {
          const int c = a.strings[i].compare(b.strings[i]);  // bytewise, as unsigned chars
          return (c > 0) - (c < 0);
        });
        break;
    }
    return out;
  }

 private:
  template <typename OrderOf>
  void Fill(int64_t rows, OrderOf order_of) {
    for (int64_t i = 0; i < rows; ++i) out_.ints[i] = Decide(op_, order_of(i)) ? 1 : 0;
  }

  CompareOp op_;
  Mode mode_ = Mode::kExact;
  int left_scale_ = 0, right_scale_ = 0;
  int128 left_factor_ = 1, right_factor_ = 1;
};

// ---------------------------------------------------------------------------------------------
// Logic

// true/false/null as SQL: false and null = false, true or null = true, otherwise null wins.
class AndOr final : public BinaryNode {
 public:
  AndOr(bool is_and, ExprPtr left, ExprPtr right, size_t begin, size_t end)
      : BinaryNode(ExprType::Bool(), std::move(left), std::move(right), begin, end), is_and_(is_and) {}

  const Vector& Eval(const Batch& batch, const uint8_t* active) override {
    const Vector& a = left_->Eval(batch, active);
    // The right side matters only where the left does not decide alone.
    const int64_t decisive = is_and_ ? 0 : 1;
    right_active_.resize(static_cast<size_t>(batch.rows));
    for (int64_t i = 0; i < batch.rows; ++i) {
      right_active_[i] = IsActive(active, i) && !(a.valid[i] && a.ints[i] == decisive);
    }
    const Vector& b = right_->Eval(batch, right_active_.data());
    Vector& out = Output(batch);
    for (int64_t i = 0; i < batch.rows; ++i) {
      const bool left_decides = a.valid[i] && a.ints[i] == decisive;
      const bool right_decides = b.valid[i] && b.ints[i] == decisive;
      if (left_decides || right_decides) {
        out.valid[i] = 1;
        out.ints[i] = decisive;
      } else {
        out.valid[i] = a.valid[i] & b.valid[i];
        out.ints[i] = 1 - decisive;
      }
    }
    return out;
  }

 private:
  bool is_and_;
  std::vector<uint8_t> right_active_;
};

class Not final : public CompiledExpr {
 public:
  Not(ExprPtr operand, size_t begin, size_t end)
      : CompiledExpr(ExprType::Bool(), begin, end), operand_(std::move(operand)) {}

  const Vector& Eval(const Batch& batch, const uint8_t* active) override {
    const Vector& a = operand_->Eval(batch, active);
    Vector& out = Output(batch);
    for (int64_t i = 0; i < batch.rows; ++i) {
      out.valid[i] = a.valid[i];
      out.ints[i] = a.ints[i] == 0 ? 1 : 0;
    }
    return out;
  }

 private:
  ExprPtr operand_;
};

class IsNull final : public CompiledExpr {
 public:
  IsNull(ExprPtr operand, bool negated, size_t begin, size_t end)
      : CompiledExpr(ExprType::Bool(), begin, end), operand_(std::move(operand)), negated_(negated) {}

  const Vector& Eval(const Batch& batch, const uint8_t* active) override {
    const Vector& a = operand_->Eval(batch, active);
    Vector& out = Output(batch);
    const int64_t when_valid = negated_ ? 1 : 0;
    for (int64_t i = 0; i < batch.rows; ++i) {
      out.valid[i] = 1;
      out.ints[i] = a.valid[i] ? when_valid : 1 - when_valid;
    }
    return out;
  }

 private:
  ExprPtr operand_;
  bool negated_;
};

}  // namespace

ExprPtr MakeColumnRef(size_t column, ExprType type, size_t begin, size_t end) {
  return std::make_unique<ColumnRef>(column, type, begin, end);
}

ExprPtr MakeLiteral(ExprType type, int64_t int_value, std::string text, size_t begin, size_t end) {
  return std::make_unique<Literal>(type, false, int_value, std::move(text), begin, end);
}

ExprPtr MakeNullOf(ExprType type, size_t begin, size_t end) {
  return std::make_unique<Literal>(type, true, 0, "", begin, end);
}

ExprPtr MakeArithmetic(ArithmeticOp op, ExprType result, ExprPtr left, ExprPtr right, size_t begin,
                       size_t end) {
  switch (result.kind) {
    case Kind::kInt64:
      return std::make_unique<IntArithmetic>(op, std::move(left), std::move(right), begin, end);
    case Kind::kFloat64:
      return std::make_unique<FloatArithmetic>(op, std::move(left), std::move(right), begin, end);
    default:
      return std::make_unique<DecimalArithmetic>(op, result, std::move(left), std::move(right),
                                                 begin, end);
  }
}

ExprPtr MakeNegate(ExprPtr operand, size_t begin, size_t end) {
  return std::make_unique<Negate>(std::move(operand), begin, end);
}

ExprPtr MakeConcat(ExprPtr left, ExprPtr right, size_t begin, size_t end) {
  return std::make_unique<Concat>(std::move(left), std::move(right), begin, end);
}

ExprPtr MakeCompare(CompareOp op, ExprPtr left, ExprPtr right, size_t begin, size_t end) {
  return std::make_unique<Compare>(op, std::move(left), std::move(right), begin, end);
}

ExprPtr MakeAnd(ExprPtr left, ExprPtr right, size_t begin, size_t end) {
  return std::make_unique<AndOr>(true, std::move(left), std::move(right), begin, end);
}

ExprPtr MakeOr(ExprPtr left, ExprPtr right, size_t begin, size_t end) {
  return std::make_unique<AndOr>(false, std::move(left), std::move(right), begin, end);
}

ExprPtr MakeNot(ExprPtr operand, size_t begin, size_t end) {
  return std::make_unique<Not>(std::move(operand), begin, end);
}

ExprPtr MakeIsNull(ExprPtr operand, bool negated, size_t begin, size_t end) {
  return std::make_unique<IsNull>(std::move(operand), negated, begin, end);
}

}  // namespace sluice::transform
