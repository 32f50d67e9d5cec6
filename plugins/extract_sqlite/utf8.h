// UTF-8 well-formedness, for text that SQLite hands back unchecked.
#ifndef SLUICE_PLUGINS_EXTRACT_SQLITE_UTF8_H_
#define SLUICE_PLUGINS_EXTRACT_SQLITE_UTF8_H_

#include <string_view>

namespace sluice::sqlite {

/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool IsValidUtf8(std::string_view text);

}  // namespace sluice::sqlite

#endif  // SLUICE_PLUGINS_EXTRACT_SQLITE_UTF8_H_
