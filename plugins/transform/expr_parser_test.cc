// The parser: precedence, literals, desugaring of in/between, and errors with carets.
#include <gtest/gtest.h>

#include <string>

#include "expr_error.h"
#include "expr_parser.h"

namespace sluice::transform {
namespace {

// The tree as an S-expression, written independently of the parser so precedence shows.
std::string Show(const NodePtr& node) {
  auto binary = [&](const char* op) {
    return "(" + std::string(op) + " " + Show(node->args[0]) + " " + Show(node->args[1]) + ")";
  };
  switch (node->op) {
    case Op::kLiteral:
      switch (node->literal_type.kind) {
        case Kind::kNull: return "null";
        case Kind::kString: return "'" + node->text + "'";
        case Kind::kBool: return node->int_value ? "true" : "false";
        case Kind::kDecimal:
          return std::to_string(node->int_value) + "e-" + std::to_string(node->literal_type.scale) +
                 ":" + TypeName(node->literal_type);
        default: return std::to_string(node->int_value);
      }
    case Op::kTemplate: return "{{}}";
    case Op::kColumn: return node->name;
    case Op::kNegate: return "(neg " + Show(node->args[0]) + ")";
    case Op::kAdd: return binary("+");
    case Op::kSubtract: return binary("-");
    case Op::kMultiply: return binary("*");
    case Op::kDivide: return binary("/");
    case Op::kConcat: return binary("||");
    case Op::kEqual: return binary("=");
    case Op::kNotEqual: return binary("!=");
    case Op::kLess: return binary("<");
    case Op::kLessEqual: return binary("<=");
    case Op::kGreater: return binary(">");
    case Op::kGreaterEqual: return binary(">=");
    case Op::kAnd: return binary("and");
    case Op::kOr: return binary("or");
    case Op::kNot: return "(not " + Show(node->args[0]) + ")";
    case Op::kIsNull: return "(isnull " + Show(node->args[0]) + ")";
    case Op::kIsNotNull: return "(isnotnull " + Show(node->args[0]) + ")";
    case Op::kCast: return "(cast " + Show(node->args[0]) + " " + TypeName(node->cast_type) + ")";
    case Op::kCall: {
      std::string out = "(" + node->name;
      for (const NodePtr& arg : node->args) out += " " + Show(arg);
      return out + ")";
    }
  }
  return "?";
}

std::string Parsed(const std::string& text) { return Show(ParseExpression(text)); }

// The error a text raises, with its caret line, as the user sees it.
std::string ErrorOf(const std::string& text, const ParseOptions& options = {}) {
  try {
    ParseExpression(text, options);
  } catch (const ExprError& e) {
    return WithCaret(e.what(), text, e.begin(), e.end());
  }
  return "no error";
}

TEST(ExprParserTest, MultiplicationBindsTighterThanAdditionAndBothAreLeftAssociative) {
  EXPECT_EQ(Parsed("a + b * c"), "(+ a (* b c))");
  EXPECT_EQ(Parsed("a - b - c"), "(- (- a b) c)");
  EXPECT_EQ(Parsed("a / b * c"), "(* (/ a b) c)");
  EXPECT_EQ(Parsed("(a + b) * c"), "(* (+ a b) c)");
}

TEST(ExprParserTest, UnaryMinusBindsTighterThanMultiplication) {
  EXPECT_EQ(Parsed("-a * b"), "(* (neg a) b)");
  EXPECT_EQ(Parsed("a * -b"), "(* a (neg b))");
  EXPECT_EQ(Parsed("- -a"), "(neg (neg a))");
}

TEST(ExprParserTest, ConcatSitsBetweenArithmeticAndComparison) {
  EXPECT_EQ(Parsed("a || b + c = d"), "(= (|| a (+ b c)) d)");
}

TEST(ExprParserTest, NotBindsLooserThanComparisonAndAndTighterThanOr) {
  EXPECT_EQ(Parsed("not a = b"), "(not (= a b))");
  EXPECT_EQ(Parsed("a or b and c"), "(or a (and b c))");
  EXPECT_EQ(Parsed("not a and b"), "(and (not a) b)");
  EXPECT_EQ(Parsed("a and b or c and d"), "(or (and a b) (and c d))");
}

TEST(ExprParserTest, TheTaskExampleFilterParsesAsWritten) {
  EXPECT_EQ(Parsed("valor > 0 and (status in ('A', 'B') or status is null) and not cancelado"),
            "(and (and (> valor 0) (or (or (= status 'A') (= status 'B')) (isnull status))) "
            "(not cancelado))");
}

TEST(ExprParserTest, InBecomesEqualitiesJoinedByOr) {
  EXPECT_EQ(Parsed("x in (1, 2, 3)"), "(or (or (= x 1) (= x 2)) (= x 3))");
  EXPECT_EQ(Parsed("x not in (1)"), "(not (= x 1))");
}

TEST(ExprParserTest, BetweenBecomesTwoComparisonsAndItsAndIsNotTheLogicalOne) {
  EXPECT_EQ(Parsed("x between 1 and 5 and y"), "(and (and (>= x 1) (<= x 5)) y)");
  EXPECT_EQ(Parsed("x not between a + 1 and b"), "(not (and (>= x (+ a 1)) (<= x b)))");
}

TEST(ExprParserTest, IsNullAndIsNotNull) {
  EXPECT_EQ(Parsed("a is null"), "(isnull a)");
  EXPECT_EQ(Parsed("a + 1 IS NOT NULL"), "(isnotnull (+ a 1))");
}

TEST(ExprParserTest, DecimalLiteralsKeepTheirDigitsAndScale) {
  EXPECT_EQ(Parsed("12.50"), "1250e-2:decimal(4,2)");
  EXPECT_EQ(Parsed("0.05"), "5e-2:decimal(2,2)");
  EXPECT_EQ(Parsed("-3.5"), "-35e-1:decimal(2,1)");
  EXPECT_EQ(Parsed("-9223372036854775808"), "-9223372036854775808");
}

TEST(ExprParserTest, StringsUnescapeDoubledQuotesAndQuotedNamesAreColumns) {
  EXPECT_EQ(Parsed("'it''s'"), "'it's'");
  EXPECT_EQ(Parsed("\"Valor Total\" + \"and\""), "(+ Valor Total and)");
}

TEST(ExprParserTest, FunctionsAndCastParse) {
  EXPECT_EQ(Parsed("substr(nome, 1, 3)"), "(substr nome 1 3)");
  EXPECT_EQ(Parsed("COALESCE(a, b, 0)"), "(coalesce a b 0)");
  EXPECT_EQ(Parsed("cast(x as decimal(12, 2))"), "(cast x decimal(12,2))");
  EXPECT_EQ(Parsed("date('2024-02-29')"), "(date '2024-02-29')");
  EXPECT_EQ(Parsed("\"date\" + 1"), "(+ date 1)");
}

TEST(ExprParserTest, ErrorShowsCaretUnderTheUnexpectedToken) {
  EXPECT_EQ(ErrorOf("valor > > 0"),
            "expected a value, a column name or '(', found '>'\n"
            "  valor > > 0\n"
            "          ^");
}

TEST(ExprParserTest, ErrorAtTheEndPointsPastTheLastCharacter) {
  EXPECT_EQ(ErrorOf("(a + b"),
            "expected ')', found the end of the expression\n"
            "  (a + b\n"
            "        ^");
}

TEST(ExprParserTest, CaretCountsCharactersNotBytes) {
  EXPECT_EQ(ErrorOf("'São' = = 1"),
            "expected a value, a column name or '(', found '='\n"
            "  'São' = = 1\n"
            "          ^");
}

TEST(ExprParserTest, UnknownFunctionSuggestsCloseNames) {
  EXPECT_EQ(ErrorOf("uper(nome)"),
            "unknown function 'uper'; did you mean 'upper'?\n"
            "  uper(nome)\n"
            "  ^^^^");
}

TEST(ExprParserTest, WrongArgumentCountSaysHowToCall) {
  const std::string error = ErrorOf("substr(nome)");
  EXPECT_NE(error.find("substr takes 2 or 3 argument(s), not 1; write substr(s, start[, length])"),
            std::string::npos)
      << error;
}

TEST(ExprParserTest, UnclosedStringSaysHowToCloseIt) {
  EXPECT_NE(ErrorOf("status = 'A").find("this string is not closed"), std::string::npos);
}

TEST(ExprParserTest, BadDatePatternPointsAtTheDirective) {
  EXPECT_EQ(ErrorOf("format_date(d, '%Y-%q')"),
            "unknown directive %q in the date pattern; use %Y %y %m %d %H %M %S %j %F %T or %%\n"
            "  format_date(d, '%Y-%q')\n"
            "                     ^^");
}

TEST(ExprParserTest, LiteralArgumentsAreCheckedWithoutData) {
  EXPECT_NE(ErrorOf("date_trunc('week', d)").find("'day', 'month' or 'year'"), std::string::npos);
  EXPECT_NE(ErrorOf("date('2024-02-30')").find("is not a date"), std::string::npos);
  EXPECT_NE(ErrorOf("round(x, n)").find("whole number from 0 to 18"), std::string::npos);
  EXPECT_NE(ErrorOf("cast(x as money)").find("unknown type 'money'"), std::string::npos);
}

TEST(ExprParserTest, TemplatesAreValuesOnlyWhileUnrendered) {
  ParseOptions unrendered;
  unrendered.templates_unrendered = true;
  EXPECT_EQ(Show(ParseExpression("d >= {{ ds }}", unrendered)), "(>= d {{}})");
  // A template inside a string literal is not checked as a date before rendering.
  EXPECT_EQ(ErrorOf("d = date('{{ ds }}')", unrendered), "no error");
  EXPECT_NE(ErrorOf("d >= {{ ds }}").find("'{' is not part of an expression"), std::string::npos);
}

TEST(ExprParserTest, AssignmentNeedsANameAndAnEqualsSign) {
  const Assignment a = ParseAssignment("total = qtd * preco");
  EXPECT_EQ(a.name, "total");
  EXPECT_EQ(Show(a.value), "(* qtd preco)");
  EXPECT_EQ(ParseAssignment("\"Valor Total\" = 1").name, "Valor Total");
  EXPECT_THROW(ParseAssignment("qtd * preco"), ExprError);
  EXPECT_THROW(ParseAssignment("and = 1"), ExprError);
}

TEST(ExprParserTest, KeywordWhereAValueBelongsSaysToQuoteIt) {
  EXPECT_NE(ErrorOf("in + 1").find("quote a column with this name as \"in\""), std::string::npos);
}

}  // namespace
}  // namespace sluice::transform
