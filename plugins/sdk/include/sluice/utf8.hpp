// UTF-8 well-formedness, for plugins that read text from sources that do not check it
// (CSV files, SQLite, database drivers). Header-only; depends on the standard library only.
#ifndef SLUICE_UTF8_HPP_
#define SLUICE_UTF8_HPP_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace sluice::sdk {

/// True when `text` is well-formed UTF-8: no stray continuation bytes, truncated sequences,
/// overlong forms, surrogates (U+D800..U+DFFF) or values past U+10FFFF.
inline bool IsValidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p != end) {
    // Runs of ASCII, by far the usual case, eight bytes at a time.
    uint64_t word = 0;
    while (end - p >= 8 && (std::memcpy(&word, p, 8), (word & 0x8080808080808080ull) == 0)) p += 8;
    if (p == end) break;
    const unsigned char lead = *p;
    if (lead < 0x80) {
      ++p;
      continue;
    }
    size_t length = 0;
    uint32_t code = 0, min = 0;
    if ((lead & 0xE0) == 0xC0) {
      length = 2, code = lead & 0x1F, min = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3, code = lead & 0x0F, min = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4, code = lead & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (static_cast<size_t>(end - p) < length) return false;
    for (size_t i = 1; i < length; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      code = (code << 6) | (p[i] & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    p += length;
  }
  return true;
}

}  // namespace sluice::sdk

#endif  // SLUICE_UTF8_HPP_
