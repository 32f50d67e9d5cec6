#include "join_expressions.h"

#include <cstddef>

namespace sluice::join {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || static_cast<unsigned char>(c) >= 0x80;
}

bool EqualsIgnoringCase(std::string_view text, std::string_view lower_word) {
  if (text.size() != lower_word.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
    if (c != lower_word[i]) return false;
  }
  return true;
}

// A left-to-right reader of one expression. Each Read* returns false and sets error_ on
// a mistake; error_ then says what was expected where.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool AtEnd() {
    SkipSpaces();
    return pos_ == text_.size();
  }

  // A plain or quoted name. `quoted` tells a quoted keyword ("and") from the keyword.
  bool ReadName(std::string* name, const char* what, bool* quoted = nullptr) {
    SkipSpaces();
    if (quoted != nullptr) *quoted = false;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      if (quoted != nullptr) *quoted = true;
      name->clear();
      for (++pos_; pos_ < text_.size(); ++pos_) {
        if (text_[pos_] == '"') {
          if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
            name->push_back('"');
            ++pos_;
            continue;
          }
          ++pos_;
          if (name->empty()) return Fail(std::string("an empty quoted name where ") + what + " belongs");
          return true;
        }
        name->push_back(text_[pos_]);
      }
      return Fail("a quoted name that is never closed; end it with \"");
    }
    const size_t start = pos_;
    while (pos_ < text_.size() && IsNameChar(text_[pos_])) ++pos_;
    if (pos_ == start) return Expected(what);
    name->assign(text_.substr(start, pos_ - start));
    return true;
  }

  bool ReadSymbol(char symbol, const char* what) {
    SkipSpaces();
    if (pos_ < text_.size() && text_[pos_] == symbol) {
      ++pos_;
      return true;
    }
    return Expected(what);
  }

  bool PeekSymbol(char symbol) {
    SkipSpaces();
    return pos_ < text_.size() && text_[pos_] == symbol;
  }

  // Consumes `word` (a keyword, any case) when it comes next.
  bool TryKeyword(std::string_view word) {
    SkipSpaces();
    const size_t start = pos_;
    size_t end = start;
    while (end < text_.size() && IsNameChar(text_[end])) ++end;
    if (!EqualsIgnoringCase(text_.substr(start, end - start), word)) return false;
    pos_ = end;
    return true;
  }

  bool ReadColumnRef(ColumnRef* ref) {
    return ReadName(&ref->alias, "an alias (as in m.id)") && ReadSymbol('.', "'.' after the alias") &&
           ReadName(&ref->column, "a column name after the '.'");
  }

  bool Expected(const char* what) {
    SkipSpaces();
    if (pos_ == text_.size()) return Fail(std::string("expected ") + what + " at the end");
    return Fail(std::string("expected ") + what + " at '" + std::string(text_.substr(pos_)) + "'");
  }

  bool Fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }

  const std::string& error() const { return error_; }

 private:
  void SkipSpaces() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace

bool IsPlainName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!IsNameChar(c)) return false;
  }
  return !EqualsIgnoringCase(name, "and") && !EqualsIgnoringCase(name, "as");
}

bool ParseOnClause(std::string_view text, std::vector<Equality>* equalities, std::string* error) {
  equalities->clear();
  Cursor cursor(text);
  do {
    Equality equality;
    if (!cursor.ReadColumnRef(&equality.first) || !cursor.ReadSymbol('=', "'=' between two columns") ||
        !cursor.ReadColumnRef(&equality.second)) {
      *error = cursor.error() + "; write equalities like \"m.id_cartao = c.id and m.x = c.y\"";
      return false;
    }
    equalities->push_back(std::move(equality));
  } while (cursor.TryKeyword("and"));
  if (!cursor.AtEnd()) {
    cursor.Expected("'and' or the end");
    *error = cursor.error() + "; only equalities joined by 'and' are supported";
    return false;
  }
  return true;
}

bool ParseSelectItem(std::string_view text, SelectItem* item, std::string* error) {
  Cursor cursor(text);
  const auto fail = [&] {
    *error = cursor.error() + "; write \"alias.column\", \"alias.column as name\" or \"alias.*\"";
    return false;
  };
  item->column.clear();
  item->output_name.clear();
  if (!cursor.ReadName(&item->alias, "an alias (as in m.id)") ||
      !cursor.ReadSymbol('.', "'.' after the alias")) {
    return fail();
  }
  if (cursor.PeekSymbol('*')) {
    cursor.ReadSymbol('*', "'*'");
    if (!cursor.AtEnd()) {
      cursor.Fail("nothing after alias.* (it keeps the columns' own names)");
      return fail();
    }
    return true;
  }
  if (!cursor.ReadName(&item->column, "a column name or '*' after the '.'")) return fail();
  if (cursor.TryKeyword("as")) {
    if (!cursor.ReadName(&item->output_name, "the output name after 'as'")) return fail();
  }
  if (!cursor.AtEnd()) {
    cursor.Expected("'as name' or the end");
    return fail();
  }
  return true;
}

}  // namespace sluice::join
