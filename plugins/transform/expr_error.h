// An error inside one expression, located by byte offsets so that it can be shown with a
// caret under the offending text.
#ifndef SLUICE_PLUGINS_TRANSFORM_EXPR_ERROR_H_
#define SLUICE_PLUGINS_TRANSFORM_EXPR_ERROR_H_

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::transform {

/// Thrown by the parser, the type checker and evaluation. [begin, end) is the span of the
/// expression's text the message is about.
class ExprError : public std::runtime_error {
 public:
  ExprError(const std::string& message, size_t begin, size_t end)
      : std::runtime_error(message), begin_(begin), end_(end) {}
  size_t begin() const { return begin_; }
  size_t end() const { return end_; }

 private:
  size_t begin_, end_;
};

/// The message, then the expression on its own line with carets under [begin, end):
///
///   unknown column 'valr'; did you mean 'valor'?
///     valr > 0
///     ^^^^
std::string WithCaret(const std::string& message, std::string_view text, size_t begin,
                      size_t end);

/// Up to three of `candidates` closest to `name` (by edit distance), formatted as
/// "; did you mean 'a' or 'b'?", or the whole list when none is close, as
/// "; the choices are: a, b, c". Empty when there are no candidates.
std::string SuggestNames(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace sluice::transform

#endif  // SLUICE_PLUGINS_TRANSFORM_EXPR_ERROR_H_
