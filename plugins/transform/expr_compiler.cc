#include "expr_compiler.h"

#include <string>
#include <vector>

#include "cast_node.h"
#include "date_functions.h"
#include "function_nodes.h"
#include "operator_nodes.h"

namespace sluice::transform {

namespace {

bool IsTime(const ExprType& t) { return t.kind == Kind::kDate || t.kind == Kind::kTimestamp; }

class Compiler {
 public:
  Compiler(const dataset::Schema& schema, std::vector<size_t>* columns_read)
      : schema_(schema), columns_read_(columns_read) {}

  ExprPtr Compile(const Node& node) {
    switch (node.op) {
      case Op::kLiteral:
        if (node.literal_type.kind == Kind::kNull) return MakeNullOf(ExprType::Null(), node.begin, node.end);
        return MakeLiteral(node.literal_type, node.int_value, node.text, node.begin, node.end);
      case Op::kTemplate:
        throw ExprError("this template was not rendered; check its spelling ({{ ds }}, "
                        "{{ params.name }})", node.begin, node.end);
      case Op::kColumn: return Column(node);
      case Op::kNegate: {
        ExprPtr operand = Compile(*node.args[0]);
        if (operand->type().kind == Kind::kNull) return operand;
        RequireNumeric(*operand, "unary minus");
        return MakeNegate(std::move(operand), node.begin, node.end);
      }
      case Op::kAdd: return Arithmetic(node, ArithmeticOp::kAdd, "+");
      case Op::kSubtract: return Arithmetic(node, ArithmeticOp::kSubtract, "-");
      case Op::kMultiply: return Arithmetic(node, ArithmeticOp::kMultiply, "*");
      case Op::kDivide: return Arithmetic(node, ArithmeticOp::kDivide, "/");
      case Op::kConcat: {
        ExprPtr left = Retype(Compile(*node.args[0]), ExprType::String());
        ExprPtr right = Retype(Compile(*node.args[1]), ExprType::String());
        return MakeConcat(std::move(left), std::move(right), node.begin, node.end);
      }
      case Op::kEqual: return Comparison(node, CompareOp::kEqual);
      case Op::kNotEqual: return Comparison(node, CompareOp::kNotEqual);
      case Op::kLess: return Comparison(node, CompareOp::kLess);
      case Op::kLessEqual: return Comparison(node, CompareOp::kLessEqual);
      case Op::kGreater: return Comparison(node, CompareOp::kGreater);
      case Op::kGreaterEqual: return Comparison(node, CompareOp::kGreaterEqual);
      case Op::kAnd:
      case Op::kOr: {
        const char* word = node.op == Op::kAnd ? "and" : "or";
        ExprPtr left = Condition(*node.args[0], word);
        ExprPtr right = Condition(*node.args[1], word);
        return node.op == Op::kAnd ? MakeAnd(std::move(left), std::move(right), node.begin, node.end)
                                   : MakeOr(std::move(left), std::move(right), node.begin, node.end);
      }
      case Op::kNot: return MakeNot(Condition(*node.args[0], "not"), node.begin, node.end);
      case Op::kIsNull:
      case Op::kIsNotNull:
        return MakeIsNull(Compile(*node.args[0]), node.op == Op::kIsNotNull, node.begin, node.end);
      case Op::kCast: return Cast(Compile(*node.args[0]), node.cast_type, node);
      case Op::kCall: return Call(node);
    }
    throw ExprError("unsupported expression", node.begin, node.end);
  }

 private:
  ExprPtr Column(const Node& node) {
    for (size_t i = 0; i < schema_.size(); ++i) {
      if (schema_[i].name != node.name) continue;
      if (columns_read_ != nullptr) columns_read_->push_back(i);
      return MakeColumnRef(i, FromColumn(schema_[i]), node.begin, node.end);
    }
    std::vector<std::string> names;
    for (const dataset::Column& column : schema_) names.push_back(column.name);
    throw ExprError("unknown column '" + node.name + "'" + SuggestNames(node.name, names),
                    node.begin, node.end);
  }

  // A bare null takes the type its context needs.
  static ExprPtr Retype(ExprPtr expr, const ExprType& type) {
    if (expr->type().kind != Kind::kNull) return expr;
    return MakeNullOf(type, expr->begin(), expr->end());
  }

  static void RequireNumeric(const CompiledExpr& expr, const std::string& what) {
    if (!expr.type().is_numeric()) {
      throw ExprError(what + " needs a number, but this is " + TypeName(expr.type()), expr.begin(),
                      expr.end());
    }
  }

  ExprPtr Cast(ExprPtr operand, const ExprType& to, const Node& node) {
    if (operand->type().kind == Kind::kNull) return MakeNullOf(to, node.begin, node.end);
    if (!CanCast(operand->type(), to)) {
      throw ExprError("cannot cast " + TypeName(operand->type()) + " to " + TypeName(to) +
                          "; dates and timestamps convert only to each other and to string",
                      node.begin, node.end);
    }
    return MakeCast(std::move(operand), to, node.begin, node.end);
  }

  // An implicit conversion, for widening only; spans the operand it converts.
  static ExprPtr Widen(ExprPtr operand, const ExprType& to) {
    if (operand->type() == to) return operand;
    const size_t begin = operand->begin(), end = operand->end();
    return MakeCast(std::move(operand), to, begin, end);
  }

  ExprPtr Arithmetic(const Node& node, ArithmeticOp op, const char* symbol) {
    ExprPtr left = Compile(*node.args[0]);
    ExprPtr right = Compile(*node.args[1]);
    if (left->type().kind == Kind::kNull && right->type().kind == Kind::kNull) {
      return MakeNullOf(ExprType::Null(), node.begin, node.end);
    }
    left = Retype(std::move(left), right->type());
    right = Retype(std::move(right), left->type());
    for (const ExprPtr* side : {&left, &right}) {
      if (!(*side)->type().is_numeric()) {
        std::string hint;
        if ((*side)->type().kind == Kind::kString) {
          hint = op == ArithmeticOp::kAdd ? "; join text with ||" : "; cast(x as decimal(12,2)) reads a number";
        }
        throw ExprError(std::string("'") + symbol + "' needs numbers, but this is " +
                            TypeName((*side)->type()) + hint,
                        (*side)->begin(), (*side)->end());
      }
    }
    const ExprType l = left->type(), r = right->type();
    ExprType result;
    if (l.kind == Kind::kFloat64 || r.kind == Kind::kFloat64) {
      result = ExprType::Float64();
      left = Widen(std::move(left), result);
      right = Widen(std::move(right), result);
    } else if (l.kind == Kind::kInt64 && r.kind == Kind::kInt64) {
      result = ExprType::Int64();
    } else {
      result = DecimalResult(op, AsDecimal(l), AsDecimal(r), node);
    }
    return MakeArithmetic(op, result, std::move(left), std::move(right), node.begin, node.end);
  }

  static ExprType DecimalResult(ArithmeticOp op, const ExprType& l, const ExprType& r, const Node& node) {
    constexpr int kMax = dataset::kMaxDecimalPrecision;
    int scale = 0, precision = kMax;
    switch (op) {
      case ArithmeticOp::kAdd:
      case ArithmeticOp::kSubtract:
        scale = std::max(l.scale, r.scale);
        precision = std::max(l.precision - l.scale, r.precision - r.scale) + scale + 1;
        break;
      case ArithmeticOp::kMultiply:
        scale = l.scale + r.scale;
        precision = l.precision + r.precision;
        break;
      case ArithmeticOp::kDivide: scale = std::max(l.scale, r.scale) + 4; break;
    }
    if (scale > kMax) {
      throw ExprError("the result would have " + std::to_string(scale) +
                          " digits after the point, more than a decimal holds (18); round an "
                          "operand first, e.g. round(x, 2)",
                      node.begin, node.end);
    }
    return ExprType::Decimal(std::min(kMax, std::max(precision, scale == 0 ? 1 : scale)), scale);
  }

  ExprPtr Comparison(const Node& node, CompareOp op) {
    ExprPtr left = Compile(*node.args[0]);
    ExprPtr right = Compile(*node.args[1]);
    if (left->type().kind == Kind::kNull && right->type().kind == Kind::kNull) {
      return MakeNullOf(ExprType::Bool(), node.begin, node.end);
    }
    left = Retype(std::move(left), right->type());
    right = Retype(std::move(right), left->type());
    const ExprType l = left->type(), r = right->type();
    const bool comparable = (l.is_numeric() && r.is_numeric()) || l.kind == r.kind;
    if (!comparable) {
      std::string hint;
      const ExprType& time = IsTime(l) ? l : r;
      if (IsTime(time) && (l.kind == Kind::kString || r.kind == Kind::kString)) {
        hint = time.kind == Kind::kDate ? "; write a date as date('2024-01-31')"
                                        : "; write a timestamp as timestamp('2024-01-31 12:00:00')";
      } else if (IsTime(l) && IsTime(r)) {
        hint = "; cast one side, e.g. cast(x as date)";
      } else {
        hint = "; cast one side to the other's type";
      }
      throw ExprError("cannot compare " + TypeName(l) + " with " + TypeName(r) + hint, node.begin,
                      node.end);
    }
    return MakeCompare(op, std::move(left), std::move(right), node.begin, node.end);
  }

  ExprPtr Condition(const Node& node, const char* word) {
    ExprPtr expr = Retype(Compile(node), ExprType::Bool());
    if (expr->type().kind != Kind::kBool) {
      throw ExprError(std::string("`") + word + "` needs true/false values, but this is " +
                          TypeName(expr->type()) + "; compare it, e.g. x > 0 or x is not null",
                      node.begin, node.end);
    }
    return expr;
  }

  ExprPtr Argument(const Node& call, size_t index, std::initializer_list<Kind> kinds,
                   const char* wanted) {
    ExprPtr arg = Compile(*call.args[index]);
    if (arg->type().kind == Kind::kNull) return arg;
    for (Kind kind : kinds) {
      if (arg->type().kind == kind) return arg;
    }
    throw ExprError(call.name + " needs " + wanted + ", but this is " + TypeName(arg->type()),
                    arg->begin(), arg->end());
  }

  ExprPtr Call(const Node& node) {
    const std::string& name = node.name;
    const size_t begin = node.begin, end = node.end;
    auto null_of = [&](const ExprType& type) { return MakeNullOf(type, begin, end); };
    if (name == "format_date") {
      ExprPtr value = Argument(node, 0, {Kind::kDate, Kind::kTimestamp}, "a date or timestamp");
      if (value->type().kind == Kind::kNull) return null_of(ExprType::String());
      return MakeFormatDate(std::move(value), node.args[1]->text, begin, end);
    }
    if (name == "date_trunc") {
      ExprPtr value = Argument(node, 1, {Kind::kDate, Kind::kTimestamp}, "a date or timestamp");
      if (value->type().kind == Kind::kNull) return value;
      return MakeDateTrunc(*ParseTruncUnit(node.args[0]->text), std::move(value), begin, end);
    }
    if (name == "date" || name == "timestamp") {
      ExprPtr value = Argument(node, 0, {Kind::kString, Kind::kDate, Kind::kTimestamp},
                               "a 'YYYY-MM-DD' string, a date or a timestamp");
      return Cast(std::move(value), name == "date" ? ExprType::Date() : ExprType::Timestamp(), node);
    }
    if (name == "coalesce") return Coalesce(node);
    if (name == "upper" || name == "lower" || name == "trim") {
      ExprPtr value = Argument(node, 0, {Kind::kString}, "a string (cast(x as string) makes one)");
      if (value->type().kind == Kind::kNull) return null_of(ExprType::String());
      const TextFunction function = name == "upper"   ? TextFunction::kUpper
                                    : name == "lower" ? TextFunction::kLower
                                                      : TextFunction::kTrim;
      return MakeTextFunction(function, std::move(value), begin, end);
    }
    if (name == "length") {
      ExprPtr value = Argument(node, 0, {Kind::kString}, "a string (cast(x as string) makes one)");
      if (value->type().kind == Kind::kNull) return null_of(ExprType::Int64());
      return MakeLength(std::move(value), begin, end);
    }
    if (name == "substr") {
      ExprPtr value = Retype(Argument(node, 0, {Kind::kString}, "a string"), ExprType::String());
      ExprPtr start = Retype(Argument(node, 1, {Kind::kInt64}, "an int64 start"), ExprType::Int64());
      ExprPtr length;
      if (node.args.size() == 3) {
        length = Retype(Argument(node, 2, {Kind::kInt64}, "an int64 length"), ExprType::Int64());
      }
      return MakeSubstr(std::move(value), std::move(start), std::move(length), begin, end);
    }
    if (name == "round" || name == "abs") {
      ExprPtr value = Argument(node, 0, {Kind::kInt64, Kind::kDecimal, Kind::kFloat64}, "a number");
      if (value->type().kind == Kind::kNull) return value;
      if (name == "abs") return MakeAbs(std::move(value), begin, end);
      const int digits = node.args.size() == 2 ? static_cast<int>(node.args[1]->int_value) : 0;
      ExprType result = value->type();
      if (result.kind == Kind::kDecimal && digits < result.scale) {
        result = ExprType::Decimal(result.precision - result.scale + digits + 1, digits);
        result.precision = std::min(result.precision, dataset::kMaxDecimalPrecision);
      }
      return MakeRound(std::move(value), digits, result, begin, end);
    }
    throw ExprError("unknown function '" + name + "'", begin, end);
  }

  ExprPtr Coalesce(const Node& node) {
    std::vector<ExprPtr> args;
    ExprType type = ExprType::Null();
    for (const NodePtr& arg : node.args) {
      args.push_back(Compile(*arg));
      const std::optional<ExprType> common = CommonType(type, args.back()->type());
      if (!common) {
        throw ExprError("coalesce's arguments must share a type, but this is " +
                            TypeName(args.back()->type()) + " after " + TypeName(type) +
                            "; cast it",
                        arg->begin, arg->end);
      }
      type = *common;
    }
    if (type.kind == Kind::kNull) return MakeNullOf(type, node.begin, node.end);
    for (ExprPtr& arg : args) arg = Widen(Retype(std::move(arg), type), type);
    return MakeCoalesce(std::move(args), type, node.begin, node.end);
  }

  const dataset::Schema& schema_;
  std::vector<size_t>* columns_read_;
};

}  // namespace

ExprPtr CompileExpression(const NodePtr& node, const dataset::Schema& schema, std::vector<size_t>* columns_read) {
  return Compiler(schema, columns_read).Compile(*node);
}

}  // namespace sluice::transform
