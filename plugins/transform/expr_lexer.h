// Splits an expression into tokens. Hand-written: the language is small and the errors must
// point at the exact character.
#ifndef SLUICE_PLUGINS_TRANSFORM_EXPR_LEXER_H_
#define SLUICE_PLUGINS_TRANSFORM_EXPR_LEXER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::transform {

enum class TokenKind {
  kIdentifier,        ///< a name or a keyword (keywords are matched by the parser)
  kQuotedIdentifier,  ///< "any name"; never a keyword
  kInteger,
  kDecimal,   ///< digits with a point: 12.50
  kString,    ///< 'text' with '' for a quote; `text` holds the unescaped value
  kTemplate,  ///< {{ ... }}, only when the lexer is told templates are not rendered yet
  kLeftParen,
  kRightParen,
  kComma,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kConcat,  ///< ||
  kEqual,
  kNotEqual,  ///< != or <>
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kEnd,
};

struct Token {
  TokenKind kind;
  std::string text;  ///< the source text, or the unescaped value of strings and quoted names
  size_t begin = 0;  ///< byte offsets into the expression
  size_t end = 0;
};

/// Throws ExprError at the first character that starts no token. With
/// `templates_unrendered`, `{{ ... }}` is one kTemplate token (validation sees the DAG before
/// the host renders templates).
std::vector<Token> Tokenize(std::string_view text, bool templates_unrendered);

}  // namespace sluice::transform

#endif  // SLUICE_PLUGINS_TRANSFORM_EXPR_LEXER_H_
