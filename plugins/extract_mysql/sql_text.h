// The SQL text extract.mysql builds or inspects: quoted table names and placeholder counts.
#ifndef SLUICE_PLUGINS_EXTRACT_MYSQL_SQL_TEXT_H_
#define SLUICE_PLUGINS_EXTRACT_MYSQL_SQL_TEXT_H_

#include <optional>
#include <string>
#include <string_view>

namespace sluice::mysql {

/// "movimento" -> "`movimento`", "sicoop.movimento" -> "`sicoop`.`movimento`".
/// Each part must be a plain identifier: ASCII letters, digits, _ and $, or any non-ASCII
/// UTF-8 character (as MariaDB allows unquoted). Anything else (spaces, quotes, backticks,
/// semicolons, a third part) is refused with a message in *error, so the table setting can
/// never smuggle SQL in.
std::optional<std::string> QuoteTableName(std::string_view table, std::string* error);

/// The number of ? placeholders in `query`, ignoring those inside '...', "...", `...`
/// and comments (-- , #, /* */). Used to check `params` before a run.
int CountPlaceholders(std::string_view query);

}  // namespace sluice::mysql

#endif  // SLUICE_PLUGINS_EXTRACT_MYSQL_SQL_TEXT_H_
