#include "function_nodes.h"

#include <cmath>
#include <cstring>

#include "decimal_math.h"

namespace sluice::transform {

namespace {

class FormatDate final : public CompiledExpr {
 public:
  FormatDate(ExprPtr value, std::string pattern, size_t begin, size_t end)
      : CompiledExpr(ExprType::String(), begin, end), value_(std::move(value)), pattern_(std::move(pattern)) {}

  const Vector& Eval(const Batch& batch, const uint8_t* active) override {
    const Vector& a = value_->Eval(batch, active);
    Vector& out = Output(batch);
    const int64_t unit = a.type.kind == Kind::kDate ? kMicrosPerDay : 1;
    for (int64_t i = 0; i < batch.rows; ++i) {
      out.valid[i] = a.valid[i];
      if (!a.valid[i]) continue;
      text_.clear();
      AppendFormattedTimestamp(&text_, a.ints[i] * unit, pattern_);
      out.strings[i] = batch.arena->Copy(text_);
    }
    return out;
  }

 private:
  ExprPtr value_;
  std::string pattern_;
  std::string text_;
};

class DateTrunc final : public CompiledExpr {
 public:
  DateTrunc(TruncUnit unit, ExprPtr value, size_t begin, size_t end)
      : CompiledExpr(value->type(), begin, end), unit_(unit), value_(std::move(value)) {}

  const Vector& Eval(const Batch& batch, const uint8_t* active) override {
    const Vector& a = value_->Eval(batch, active);
    Vector& out = Output(batch);
    const bool is_date = type_.kind == Kind::kDate;
    for (int64_t i = 0; i < batch.rows; ++i) {
      out.valid[i] = a.valid[i];
      if (!a.valid[i]) continue;
      out.ints[i] = is_date ? TruncateDate(a.ints[i], unit_) : TruncateTimestamp(a.ints[i], unit_);
    }
    return out;
  }

 private:
  TruncUnit unit_;
  ExprPtr value_;
};

class Coalesce final : public CompiledExpr {
 public:
  Coalesce(std::vector<ExprPtr> args, ExprType type, size_t begin, size_t end)
      : CompiledExpr(type, begin, end), args_(std::move(args)) {}

  const Vector& Eval(const Batch& batch, const uint8_t* active) override {
    Vector& out = Output(batch);
    std::fill(out.valid.begin(), out.valid.end(), uint8_t{0});
    // Each argument only matters for rows still null: later ones see the others as inactive.
    pending_.assign(static_cast<size_t>(batch.rows), 1);
    if (active != nullptr) std::copy(active, active + batch.rows, pending_.begin());
    for (const ExprPtr& arg : args_) {
      const Vector& a = arg->Eval(batch, pending_.data());
      for (int64_t i = 0; i < batch.rows; ++i) {
        if (out.valid[i] || !a.valid[i]) continue;
        out.valid[i] = 1;
        pending_[i] = 0;
        switch (type_.kind) {
          case Kind::kFloat64: out.floats[i] = a.floats[i]; break;
          case Kind::kString: out.strings[i] = a.strings[i]; break;
          case Kind::kNull: break;
          default: out.ints[i] = a.ints[i]; break;
        }
      }
    }
    return out;
  }

 private:
  std::vector<ExprPtr> args_;
  std::vector<uint8_t> pending_;
};

// UTF-8: the accented Latin letters U+00C0..U+00DE and U+00E0..U+00FE are C3 80..9E and
// C3 A0..BE, upper and lower case 0x20 apart (except the signs × and ÷ at C3 97 / C3 B7).
class TextFunctionNode final : public CompiledExpr {
 public:
  TextFunctionNode(TextFunction function, ExprPtr value, size_t begin, size_t end)
      : CompiledExpr(ExprType::String(), begin, end), function_(function), value_(std::move(value)) {}

  const Vector& Eval(const Batch& batch, const uint8_t* active) override {
    const Vector& a = value_->Eval(batch, active);
    Vector& out = Output(batch);
    for (int64_t i = 0; i < batch.rows; ++i) {
      out.valid[i] = a.valid[i];
      if (!a.valid[i]) continue;
      const std::string_view s = a.strings[i];
      if (function_ == TextFunction::kTrim) {
        out.strings[i] = Trim(s);  // a view into the input: nothing to allocate
        continue;
      }
      char* at = batch.arena->Allocate(s.size());
      std::memcpy(at, s.data(), s.size());
      ChangeCase(at, s.size(), function_ == TextFunction::kUpper);
      out.strings[i] = std::string_view(at, s.size());
    }
    return out;
  }

 private:
  static std::string_view Trim(std::string_view s) {
    constexpr std::string_view kSpace = " \t\r\n";
    const size_t first = s.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return s.substr(0, 0);
    return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
  }

  static void ChangeCase(char* text, size_t size, bool upper) {
    for (size_t i = 0; i < size; ++i) {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      if (upper && c >= 'a' && c <= 'z') {
        text[i] = static_cast<char>(c - 0x20);
      } else if (!upper && c >= 'A' && c <= 'Z') {
        text[i] = static_cast<char>(c + 0x20);
      } else if (c == 0xC3 && i + 1 < size) {
        const unsigned char next = static_cast<unsigned char>(text[i + 1]);
        if (upper && next >= 0xA0 && next <= 0xBE && next != 0xB7) {
          text[i + 1] = static_cast<char>(next - 0x20);
        } else if (!upper && next >= 0x80 && next <= 0x9E && next != 0x97) {
          text[i + 1] = static_cast<char>(next + 0x20);
        }
        ++i;
      }
    }
  }

  TextFunction function_;
  ExprPtr value_;
};

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

int64_t CountCharacters(std::string_view s) {
  int64_t count = 0;
  for (char c : s) count += !IsContinuation(c);
  return count;
}

// Byte offset of the character at `index` (0-based), or s.size() past the end.
size_t ByteOffset(std::string_view s, int64_t index) {
  size_t at = 0;
  for (int64_t seen = 0; at < s.size(); ++at) {
    if (!IsContinuation(s[at]) && seen++ == index) return at;
  }
  return s.size();
}

class Length final : public CompiledExpr {
 public:
  Length(ExprPtr value, size_t begin, size_t end)
      : CompiledExpr(ExprType::Int64(), begin, end), value_(std::move(value)) {}

  const Vector& Eval(const Batch& batch, const uint8_t* active) override {
    const Vector& a = value_->Eval(batch, active);
    Vector& out = Output(batch);
    for (int64_t i = 0; i < batch.rows; ++i) {
      out.valid[i] = a.valid[i];
      out.ints[i] = a.valid[i] ? CountCharacters(a.strings[i]) : 0;
    }
    return out;
  }

 private:
  ExprPtr value_;
};

class Substr final : public CompiledExpr {
 public:
  Substr(ExprPtr value, ExprPtr start, ExprPtr length, size_t begin, size_t end)
      : CompiledExpr(ExprType::String(), begin, end),
        value_(std::move(value)), start_(std::move(start)), length_(std::move(length)) {}

  const Vector& Eval(const Batch& batch, const uint8_t* active) override {
    const Vector& s = value_->Eval(batch, active);
    const Vector& start = start_->Eval(batch, active);
    const Vector* length = length_ ? &length_->Eval(batch, active) : nullptr;
    Vector& out = Output(batch);
    for (int64_t i = 0; i < batch.rows; ++i) {
      out.valid[i] = s.valid[i] & start.valid[i] & (length == nullptr || length->valid[i]);
      if (!out.valid[i]) continue;
      // Characters [first, last) counting from 1, clipped to the string.
      const int64_t first = start.ints[i];
      int64_t last = INT64_MAX;
      if (length != nullptr) {
        const int64_t n = length->ints[i];
        if (n < 0) {
          if (IsActive(active, i)) FailRow(batch, i, "substr's length is negative (" + std::to_string(n) + ")");
          out.valid[i] = 0;
          continue;
        }
        if (__builtin_add_overflow(first, n, &last)) last = INT64_MAX;
      }
      const std::string_view text = s.strings[i];
      const int64_t from = std::max<int64_t>(first, 1) - 1;
      if (last - 1 <= from) {
        out.strings[i] = text.substr(0, 0);
        continue;
      }
      const size_t begin_byte = ByteOffset(text, from);
      const size_t end_byte = last == INT64_MAX ? text.size() : ByteOffset(text, last - 1);
      out.strings[i] = text.substr(begin_byte, end_byte - begin_byte);
    }
    return out;
  }

 private:
  ExprPtr value_, start_, length_;
};

class Round final : public CompiledExpr {
 public:
  Round(ExprPtr value, int digits, ExprType result, size_t begin, size_t end)
      : CompiledExpr(result, begin, end), value_(std::move(value)), digits_(digits) {}

  const Vector& Eval(const Batch& batch, const uint8_t* active) override {
    const Vector& a = value_->Eval(batch, active);
    Vector& out = Output(batch);
    out.valid = a.valid;
    if (type_.kind == Kind::kFloat64) {
      const double factor = std::pow(10.0, digits_);
      for (int64_t i = 0; i < batch.rows; ++i) out.floats[i] = std::round(a.floats[i] * factor) / factor;
    } else if (type_.kind == Kind::kDecimal && a.type.scale > digits_) {
      const int128 divisor = Pow10(a.type.scale - digits_);
      for (int64_t i = 0; i < batch.rows; ++i) {
        out.ints[i] = static_cast<int64_t>(DivideHalfAwayFromZero(a.ints[i], divisor));
      }
    } else {
      out.ints = a.ints;
    }
    return out;
  }

 private:
  ExprPtr value_;
  int digits_;
};

class Abs final : public CompiledExpr {
 public:
  Abs(ExprPtr value, size_t begin, size_t end)
      : CompiledExpr(value->type(), begin, end), value_(std::move(value)) {}

  const Vector& Eval(const Batch& batch, const uint8_t* active) override {
    const Vector& a = value_->Eval(batch, active);
    Vector& out = Output(batch);
    out.valid = a.valid;
    if (type_.kind == Kind::kFloat64) {
      for (int64_t i = 0; i < batch.rows; ++i) out.floats[i] = std::fabs(a.floats[i]);
      return out;
    }
    for (int64_t i = 0; i < batch.rows; ++i) {
      if (a.valid[i] && a.ints[i] == INT64_MIN) {
        if (IsActive(active, i)) FailRow(batch, i, "int64 overflow: abs(" + std::to_string(a.ints[i]) + ")");
        out.valid[i] = 0;
        continue;
      }
      out.ints[i] = a.ints[i] < 0 ? -a.ints[i] : a.ints[i];
    }
    return out;
  }

 private:
  ExprPtr value_;
};

}  // namespace

ExprPtr MakeFormatDate(ExprPtr value, std::string pattern, size_t begin, size_t end) {
  return std::make_unique<FormatDate>(std::move(value), std::move(pattern), begin, end);
}
ExprPtr MakeDateTrunc(TruncUnit unit, ExprPtr value, size_t begin, size_t end) {
  return std::make_unique<DateTrunc>(unit, std::move(value), begin, end);
}
ExprPtr MakeCoalesce(std::vector<ExprPtr> args, ExprType type, size_t begin, size_t end) {
  return std::make_unique<Coalesce>(std::move(args), type, begin, end);
}
ExprPtr MakeTextFunction(TextFunction function, ExprPtr value, size_t begin, size_t end) {
  return std::make_unique<TextFunctionNode>(function, std::move(value), begin, end);
}
ExprPtr MakeLength(ExprPtr value, size_t begin, size_t end) {
  return std::make_unique<Length>(std::move(value), begin, end);
}
ExprPtr MakeSubstr(ExprPtr value, ExprPtr start, ExprPtr length, size_t begin, size_t end) {
  return std::make_unique<Substr>(std::move(value), std::move(start), std::move(length), begin, end);
}
ExprPtr MakeRound(ExprPtr value, int digits, ExprType result, size_t begin, size_t end) {
  return std::make_unique<Round>(std::move(value), digits, result, begin, end);
}
ExprPtr MakeAbs(ExprPtr value, size_t begin, size_t end) {
  return std::make_unique<Abs>(std::move(value), begin, end);
}

}  // namespace sluice::transform
