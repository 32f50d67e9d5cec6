#include "expr_parser.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <vector>

#include "date_functions.h"
#include "expr_error.h"
#include "expr_lexer.h"

namespace sluice::transform {

namespace {

struct FunctionArity {
  std::string_view name;
  size_t min_args, max_args;
  std::string_view usage;
};

constexpr size_t kMany = std::numeric_limits<size_t>::max();

constexpr FunctionArity kFunctions[] = {
    {"abs", 1, 1, "abs(x)"},
    {"coalesce", 1, kMany, "coalesce(a, b, ...)"},
    {"date", 1, 1, "date('YYYY-MM-DD')"},
    {"date_trunc", 2, 2, "date_trunc('day'|'month'|'year', x)"},
    {"format_date", 2, 2, "format_date(x, '%Y-%m-%d')"},
    {"length", 1, 1, "length(s)"},
    {"lower", 1, 1, "lower(s)"},
    {"round", 1, 2, "round(x, digits)"},
    {"substr", 2, 3, "substr(s, start[, length])"},
    {"timestamp", 1, 1, "timestamp('YYYY-MM-DD HH:MM:SS')"},
    {"trim", 1, 1, "trim(s)"},
    {"upper", 1, 1, "upper(s)"},
};

bool IsKeyword(const Token& token, std::string_view keyword) {
  if (token.kind != TokenKind::kIdentifier || token.text.size() != keyword.size()) return false;
  for (size_t i = 0; i < keyword.size(); ++i) {
    char c = token.text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != keyword[i]) return false;
  }
  return true;
}

constexpr std::string_view kReserved[] = {"and", "or", "not", "is", "null", "in",
                                          "between", "true", "false", "as"};

bool IsReserved(const Token& token) {
  for (std::string_view word : kReserved) {
    if (IsKeyword(token, word)) return true;
  }
  return false;
}

std::shared_ptr<Node> MakeNode(Op op, size_t begin, size_t end) {
  auto node = std::make_shared<Node>();
  node->op = op;
  node->begin = begin;
  node->end = end;
  return node;
}

NodePtr Binary(Op op, NodePtr left, NodePtr right) {
  auto node = MakeNode(op, left->begin, right->end);
  node->args = {std::move(left), std::move(right)};
  return node;
}

NodePtr Unary(Op op, size_t begin, NodePtr operand) {
  auto node = MakeNode(op, begin, operand->end);
  node->args = {std::move(operand)};
  return node;
}

bool IsStringLiteral(const NodePtr& node) {
  return node->op == Op::kLiteral && node->literal_type.kind == Kind::kString;
}

class Parser {
 public:
  Parser(std::string_view text, const ParseOptions& options)
      : tokens_(Tokenize(text, options.templates_unrendered)) {}

  NodePtr Whole() {
    NodePtr node = Or();
    ExpectEnd();
    return node;
  }

  Assignment WholeAssignment() {
    const Token& target = Peek();
    if ((target.kind != TokenKind::kIdentifier && target.kind != TokenKind::kQuotedIdentifier) ||
        (target.kind == TokenKind::kIdentifier && IsReserved(target))) {
      throw ExprError("a derive is `name = expression`; start with the new column's name",
                      target.begin, target.end);
    }
    Assignment assignment{target.text, target.begin, target.end, nullptr};
    ++pos_;
    if (Peek().kind != TokenKind::kEqual) {
      throw ExprError("expected '=' after the column name (a derive is `name = expression`)",
                      Peek().begin, Peek().end);
    }
    ++pos_;
    assignment.value = Or();
    ExpectEnd();
    return assignment;
  }

 private:
  const Token& Peek(size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& Take() { return tokens_[std::min(pos_++, tokens_.size() - 1)]; }
  bool TakeKeyword(std::string_view keyword) {
    if (!IsKeyword(Peek(), keyword)) return false;
    ++pos_;
    return true;
  }
  bool TakeKind(TokenKind kind) {
    if (Peek().kind != kind) return false;
    ++pos_;
    return true;
  }
  [[noreturn]] void Unexpected(const std::string& expected) const {
    const Token& token = Peek();
    const std::string found = token.kind == TokenKind::kEnd ? "the end of the expression"
                                                             : "'" + token.text + "'";
    throw ExprError("expected " + expected + ", found " + found, token.begin,
                    std::max(token.end, token.begin + 1));
  }
  void Expect(TokenKind kind, const std::string& what) {
    if (!TakeKind(kind)) Unexpected(what);
  }
  void ExpectEnd() {
    if (Peek().kind != TokenKind::kEnd) Unexpected("an operator or the end of the expression");
  }

  NodePtr Or() {
    NodePtr left = And();
    while (TakeKeyword("or")) left = Binary(Op::kOr, left, And());
    return left;
  }

  NodePtr And() {
    NodePtr left = Not();
    while (TakeKeyword("and")) left = Binary(Op::kAnd, left, Not());
    return left;
  }

  NodePtr Not() {
    const size_t begin = Peek().begin;
    if (TakeKeyword("not")) return Unary(Op::kNot, begin, Not());
    return Predicate();
  }

  NodePtr Predicate() {
    NodePtr left = Concat();
    static constexpr std::pair<TokenKind, Op> kComparisons[] = {
        {TokenKind::kEqual, Op::kEqual},         {TokenKind::kNotEqual, Op::kNotEqual},
        {TokenKind::kLess, Op::kLess},           {TokenKind::kLessEqual, Op::kLessEqual},
        {TokenKind::kGreater, Op::kGreater},     {TokenKind::kGreaterEqual, Op::kGreaterEqual}};
    for (const auto& [kind, op] : kComparisons) {
      if (TakeKind(kind)) return Binary(op, left, Concat());
    }
    if (TakeKeyword("is")) {
      const bool negated = TakeKeyword("not");
      const Token& null = Peek();
      if (!TakeKeyword("null")) Unexpected(negated ? "null after `is not`" : "null or not null after `is`");
      auto node = MakeNode(negated ? Op::kIsNotNull : Op::kIsNull, left->begin, null.end);
      node->args = {left};
      return node;
    }
    // `not` here belongs to `not in` / `not between`.
    const bool negated = IsKeyword(Peek(), "not") &&
                         (IsKeyword(Peek(1), "in") || IsKeyword(Peek(1), "between"));
    if (negated) ++pos_;
    if (TakeKeyword("in")) return Negated(negated, In(left));
    if (TakeKeyword("between")) return Negated(negated, Between(left));
    return left;
  }

  static NodePtr Negated(bool negated, NodePtr node) {
    return negated ? Unary(Op::kNot, node->begin, node) : node;
  }

  // x in (a, b) is (x = a) or (x = b): the same three-valued result as SQL's IN.
  NodePtr In(const NodePtr& left) {
    Expect(TokenKind::kLeftParen, "'(' after in");
    NodePtr result;
    do {
      NodePtr item = Or();
      NodePtr equal = Binary(Op::kEqual, left, item);
      result = result ? Binary(Op::kOr, result, equal) : equal;
    } while (TakeKind(TokenKind::kComma));
    const Token& close = Peek();
    Expect(TokenKind::kRightParen, "',' or ')' in the in-list");
    auto node = std::const_pointer_cast<Node>(result);
    node->begin = left->begin;
    node->end = close.end;
    return node;
  }

  // x between a and b is x >= a and x <= b.
  NodePtr Between(const NodePtr& left) {
    NodePtr low = Concat();
    if (!TakeKeyword("and")) Unexpected("`and` in `between low and high`");
    NodePtr high = Concat();
    auto node = MakeNode(Op::kAnd, left->begin, high->end);
    node->args = {Binary(Op::kGreaterEqual, left, low), Binary(Op::kLessEqual, left, high)};
    return node;
  }

  NodePtr Concat() {
    NodePtr left = Additive();
    while (TakeKind(TokenKind::kConcat)) left = Binary(Op::kConcat, left, Additive());
    return left;
  }

  NodePtr Additive() {
    NodePtr left = Multiplicative();
    while (true) {
      if (TakeKind(TokenKind::kPlus)) {
        left = Binary(Op::kAdd, left, Multiplicative());
      } else if (TakeKind(TokenKind::kMinus)) {
        left = Binary(Op::kSubtract, left, Multiplicative());
      } else {
        return left;
      }
    }
  }

  NodePtr Multiplicative() {
    NodePtr left = UnaryMinus();
    while (true) {
      if (TakeKind(TokenKind::kStar)) {
        left = Binary(Op::kMultiply, left, UnaryMinus());
      } else if (TakeKind(TokenKind::kSlash)) {
        left = Binary(Op::kDivide, left, UnaryMinus());
      } else {
        return left;
      }
    }
  }

  NodePtr UnaryMinus() {
    const size_t begin = Peek().begin;
    if (TakeKind(TokenKind::kMinus)) {
      // -9223372036854775808 is a literal, not the negation of an out-of-range one.
      if (Peek().kind == TokenKind::kInteger || Peek().kind == TokenKind::kDecimal) {
        auto literal = std::const_pointer_cast<Node>(Number(Take(), true));
        literal->begin = begin;
        return literal;
      }
      return Unary(Op::kNegate, begin, UnaryMinus());
    }
    if (TakeKind(TokenKind::kPlus)) return UnaryMinus();
    return Primary();
  }

  NodePtr Number(const Token& token, bool negative) {
    auto node = MakeNode(Op::kLiteral, token.begin, token.end);
    std::string digits;
    int scale = 0;
    if (token.kind == TokenKind::kDecimal) {
      const size_t point = token.text.find('.');
      digits = token.text.substr(0, point) + token.text.substr(point + 1);
      scale = static_cast<int>(token.text.size() - point - 1);
    } else {
      digits = token.text;
    }
    if (negative) digits.insert(0, "-");
    int64_t value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    const size_t leading = digits.find_first_not_of("-0");
    const int significant = leading == std::string::npos ? 0 : static_cast<int>(digits.size() - leading);
    if (token.kind == TokenKind::kInteger) {
      if (ec != std::errc()) {
        throw ExprError("this number does not fit int64; write it as a decimal (add .0) if it "
                        "has at most 18 digits", token.begin, token.end);
      }
      node->literal_type = ExprType::Int64();
    } else {
      const int precision = std::max({1, significant, scale});
      if (ec != std::errc() || precision > dataset::kMaxDecimalPrecision) {
        throw ExprError("a decimal literal holds at most 18 digits", token.begin, token.end);
      }
      node->literal_type = ExprType::Decimal(precision, scale);
    }
    node->int_value = value;
    return node;
  }

  NodePtr Primary() {
    const Token& token = Peek();
    switch (token.kind) {
      case TokenKind::kInteger:
      case TokenKind::kDecimal: return Number(Take(), false);
      case TokenKind::kString: {
        auto node = MakeNode(Op::kLiteral, token.begin, token.end);
        node->literal_type = ExprType::String();
        node->text = Take().text;
        return node;
      }
      case TokenKind::kTemplate: {
        Take();
        return MakeNode(Op::kTemplate, token.begin, token.end);
      }
      case TokenKind::kQuotedIdentifier: {
        auto node = MakeNode(Op::kColumn, token.begin, token.end);
        node->name = Take().text;
        return node;
      }
      case TokenKind::kLeftParen: {
        Take();
        NodePtr inner = Or();
        Expect(TokenKind::kRightParen, "')'");
        return inner;
      }
      case TokenKind::kIdentifier: return Word();
      default: Unexpected("a value, a column name or '('");
    }
  }

  NodePtr Word() {
    const Token& token = Take();
    if (IsKeyword(token, "null") || IsKeyword(token, "true") || IsKeyword(token, "false")) {
      auto node = MakeNode(Op::kLiteral, token.begin, token.end);
      if (IsKeyword(token, "null")) {
        node->literal_type = ExprType::Null();
      } else {
        node->literal_type = ExprType::Bool();
        node->int_value = IsKeyword(token, "true") ? 1 : 0;
      }
      return node;
    }
    if (IsKeyword(token, "cast") && Peek().kind == TokenKind::kLeftParen) return Cast(token);
    if (Peek().kind == TokenKind::kLeftParen) return Call(token);
    if (IsReserved(token)) {
      throw ExprError("'" + token.text + "' is a keyword where a value was expected; quote a "
                      "column with this name as \"" + token.text + "\"",
                      token.begin, token.end);
    }
    auto node = MakeNode(Op::kColumn, token.begin, token.end);
    node->name = token.text;
    return node;
  }

  NodePtr Cast(const Token& cast) {
    Take();  // (
    NodePtr value = Or();
    if (!TakeKeyword("as")) Unexpected("`as` and a type in cast(x as type)");
    // The type name is the source text up to the closing parenthesis: decimal(12, 2) spans
    // several tokens.
    const size_t type_begin = Peek().begin;
    std::string type_text;
    int depth = 0;
    while (Peek().kind != TokenKind::kEnd && !(depth == 0 && Peek().kind == TokenKind::kRightParen)) {
      if (Peek().kind == TokenKind::kLeftParen) ++depth;
      if (Peek().kind == TokenKind::kRightParen) --depth;
      type_text += Take().text;
    }
    const size_t type_end = tokens_[pos_ - 1].end;
    std::string lowered;
    for (char c : type_text) lowered.push_back(c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c);
    std::string error;
    const std::optional<ExprType> type = ParseExprType(lowered, &error);
    if (!type) throw ExprError(error, type_begin, std::max(type_end, type_begin + 1));
    const Token& close = Peek();
    Expect(TokenKind::kRightParen, "')' after the cast's type");
    auto node = MakeNode(Op::kCast, cast.begin, close.end);
    node->cast_type = *type;
    node->args = {value};
    return node;
  }

  NodePtr Call(const Token& name_token) {
    std::string name;
    for (char c : name_token.text) name.push_back(c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c);
    const FunctionArity* function = nullptr;
    for (const FunctionArity& f : kFunctions) {
      if (f.name == name) function = &f;
    }
    if (function == nullptr) {
      std::vector<std::string> names{"cast"};
      for (const FunctionArity& f : kFunctions) names.emplace_back(f.name);
      throw ExprError("unknown function '" + name_token.text + "'" + SuggestNames(name, names),
                      name_token.begin, name_token.end);
    }
    Take();  // (
    auto node = MakeNode(Op::kCall, name_token.begin, name_token.end);
    node->name = name;
    if (Peek().kind != TokenKind::kRightParen) {
      do {
        node->args.push_back(Or());
      } while (TakeKind(TokenKind::kComma));
    }
    const Token& close = Peek();
    Expect(TokenKind::kRightParen, "',' or ')' after a function argument");
    node->end = close.end;
    if (node->args.size() < function->min_args || node->args.size() > function->max_args) {
      throw ExprError(name + " takes " +
                          (function->min_args == function->max_args
                               ? std::to_string(function->min_args)
                               : function->max_args == kMany
                                     ? "at least " + std::to_string(function->min_args)
                                     : std::to_string(function->min_args) + " or " +
                                           std::to_string(function->max_args)) +
                          " argument(s), not " + std::to_string(node->args.size()) +
                          "; write " + std::string(function->usage),
                      node->begin, node->end);
    }
    CheckLiteralArguments(*node);
    return node;
  }

  // What a function needs to know before any row: its pattern, unit or digits.
  static void CheckLiteralArguments(const Node& call) {
    auto template_arg = [](const NodePtr& arg) { return arg->op == Op::kTemplate; };
    if (call.name == "format_date") {
      const NodePtr& pattern = call.args[1];
      if (template_arg(pattern)) return;
      if (!IsStringLiteral(pattern)) {
        throw ExprError("the pattern of format_date must be a 'quoted' string such as '%Y-%m'",
                        pattern->begin, pattern->end);
      }
      size_t offset = 0;
      if (std::string why = CheckDatePattern(pattern->text, &offset); !why.empty()) {
        // +1: the literal's opening quote. Exact unless the pattern holds doubled quotes.
        const size_t at = pattern->begin + 1 + offset;
        throw ExprError(why, at, at + 2);
      }
    } else if (call.name == "date_trunc") {
      const NodePtr& unit = call.args[0];
      if (template_arg(unit)) return;
      if (!IsStringLiteral(unit) || !ParseTruncUnit(unit->text)) {
        throw ExprError("date_trunc's unit must be 'day', 'month' or 'year'", unit->begin, unit->end);
      }
    } else if (call.name == "round" && call.args.size() == 2) {
      const NodePtr& digits = call.args[1];
      if (template_arg(digits)) return;
      if (digits->op != Op::kLiteral || digits->literal_type.kind != Kind::kInt64 ||
          digits->int_value < 0 || digits->int_value > dataset::kMaxDecimalPrecision) {
        throw ExprError("round's digits must be a whole number from 0 to 18, written in the "
                        "expression", digits->begin, digits->end);
      }
    } else if ((call.name == "date" || call.name == "timestamp") && IsStringLiteral(call.args[0])) {
      const NodePtr& literal = call.args[0];
      if (literal->text.find("{{") != std::string::npos) return;  // rendered later
      std::string error;
      int32_t days = 0;
      int64_t micros = 0;
      const bool ok = call.name == "date" ? dataset::ParseDate(literal->text, &days, &error)
                                          : dataset::ParseTimestamp(literal->text, &micros, &error);
      if (!ok) throw ExprError(error, literal->begin, literal->end);
    }
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

}  // namespace

NodePtr ParseExpression(std::string_view text, const ParseOptions& options) {
  return Parser(text, options).Whole();
}

Assignment ParseAssignment(std::string_view text, const ParseOptions& options) {
  return Parser(text, options).WholeAssignment();
}

}  // namespace sluice::transform
