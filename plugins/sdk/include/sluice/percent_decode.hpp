// %XX decoding for the parts of connection URLs (a user, a host such as a socket folder
// "%2Frun%2Fpostgresql", a database). Header-only; depends on the standard library only.
#ifndef SLUICE_PERCENT_DECODE_HPP_
#define SLUICE_PERCENT_DECODE_HPP_

#include <string>
#include <string_view>

namespace sluice::sdk {

/// Sets *out to `text` with every %XX escape replaced by its byte (hex digits in either
/// case). Returns false when a % is not followed by two hex digits. Decoded NUL bytes are
/// kept; callers that cannot hold them check for them.
inline bool PercentDecode(std::string_view text, std::string* out) {
  const auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  out->clear();
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out->push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return false;
    const int high = hex(text[i + 1]), low = hex(text[i + 2]);
    if (high < 0 || low < 0) return false;
    out->push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return true;
}

}  // namespace sluice::sdk

#endif  // SLUICE_PERCENT_DECODE_HPP_
