#include "expr_lexer.h"

#include "expr_error.h"

namespace sluice::transform {

namespace {

bool IsIdentifierStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentifierPart(char c) { return IsIdentifierStart(c) || IsDigit(c); }

class Lexer {
 public:
  Lexer(std::string_view text, bool templates_unrendered)
      : text_(text), templates_unrendered_(templates_unrendered) {}

  std::vector<Token> Run() {
    std::vector<Token> tokens;
    while (true) {
      SkipSpaces();
      if (pos_ >= text_.size()) {
        tokens.push_back({TokenKind::kEnd, "", text_.size(), text_.size()});
        return tokens;
      }
      tokens.push_back(Next());
    }
  }

 private:
  void SkipSpaces() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  Token Make(TokenKind kind, size_t begin, std::string text = "") {
    if (text.empty()) text = std::string(text_.substr(begin, pos_ - begin));
    return {kind, std::move(text), begin, pos_};
  }

  Token Next() {
    const size_t begin = pos_;
    const char c = text_[pos_];
    if (IsIdentifierStart(c)) {
      while (pos_ < text_.size() && IsIdentifierPart(text_[pos_])) ++pos_;
      return Make(TokenKind::kIdentifier, begin);
    }
    if (IsDigit(c)) return Number(begin);
    if (c == '\'') return Quoted(begin, '\'', TokenKind::kString, "string");
    if (c == '"') return Quoted(begin, '"', TokenKind::kQuotedIdentifier, "quoted name");
    if (c == '{' && text_.substr(pos_).starts_with("{{") && templates_unrendered_) {
      const size_t close = text_.find("}}", pos_);
      if (close == std::string_view::npos) throw ExprError("'{{' has no closing '}}'", begin, begin + 2);
      pos_ = close + 2;
      return Make(TokenKind::kTemplate, begin);
    }
    ++pos_;
    auto followed_by = [&](char next) {
      if (pos_ < text_.size() && text_[pos_] == next) {
        ++pos_;
        return true;
      }
      return false;
    };
    switch (c) {
      case '(': return Make(TokenKind::kLeftParen, begin);
      case ')': return Make(TokenKind::kRightParen, begin);
      case ',': return Make(TokenKind::kComma, begin);
      case '+': return Make(TokenKind::kPlus, begin);
      case '-': return Make(TokenKind::kMinus, begin);
      case '*': return Make(TokenKind::kStar, begin);
      case '/': return Make(TokenKind::kSlash, begin);
      case '=': return Make(TokenKind::kEqual, begin);
      case '|':
        if (followed_by('|')) return Make(TokenKind::kConcat, begin);
        throw ExprError("a single '|' is not an operator; write || to join strings", begin, pos_);
      case '!':
        if (followed_by('=')) return Make(TokenKind::kNotEqual, begin);
        throw ExprError("'!' is not an operator; write != for 'not equal' or `not` to negate",
                        begin, pos_);
      case '<':
        if (followed_by('=')) return Make(TokenKind::kLessEqual, begin);
        if (followed_by('>')) return Make(TokenKind::kNotEqual, begin);
        return Make(TokenKind::kLess, begin);
      case '>':
        if (followed_by('=')) return Make(TokenKind::kGreaterEqual, begin);
        return Make(TokenKind::kGreater, begin);
      default: break;
    }
    if (c == '{') {
      throw ExprError("'{' is not part of an expression; a {{ template }} must be rendered by "
                      "the host (check its spelling)", begin, pos_);
    }
    if (c == '`') {
      throw ExprError("backquotes do not quote names here; write \"name\" for an unusual column "
                      "name or 'text' for a string", begin, pos_);
    }
    throw ExprError("unexpected character '" + std::string(1, c) + "'", begin, pos_);
  }

  Token Number(size_t begin) {
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    TokenKind kind = TokenKind::kInteger;
    if (pos_ + 1 < text_.size() && text_[pos_] == '.' && IsDigit(text_[pos_ + 1])) {
      ++pos_;
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
      kind = TokenKind::kDecimal;
    }
    if (pos_ < text_.size() && IsIdentifierPart(text_[pos_])) {
      while (pos_ < text_.size() && IsIdentifierPart(text_[pos_])) ++pos_;
      throw ExprError("'" + std::string(text_.substr(begin, pos_ - begin)) +
                          "' is neither a number nor a name; names start with a letter or _",
                      begin, pos_);
    }
    return Make(kind, begin);
  }

  Token Quoted(size_t begin, char quote, TokenKind kind, const char* what) {
    std::string value;
    ++pos_;
    while (true) {
      if (pos_ >= text_.size()) {
        throw ExprError(std::string("this ") + what + " is not closed; add a " + quote +
                            " at its end (write " + quote + quote + " for a " + quote +
                            " inside it)",
                        begin, pos_);
      }
      const char c = text_[pos_++];
      if (c != quote) {
        value.push_back(c);
      } else if (pos_ < text_.size() && text_[pos_] == quote) {
        value.push_back(quote);
        ++pos_;
      } else {
        break;
      }
    }
    if (kind == TokenKind::kQuotedIdentifier && value.empty()) {
      throw ExprError("\"\" is an empty name; put the column's name between the quotes", begin, pos_);
    }
    return {kind, std::move(value), begin, pos_};
  }

  std::string_view text_;
  bool templates_unrendered_;
  size_t pos_ = 0;
};

}  // namespace

std::vector<Token> Tokenize(std::string_view text, bool templates_unrendered) {
  return Lexer(text, templates_unrendered).Run();
}

}  // namespace sluice::transform
