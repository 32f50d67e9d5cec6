// Turning the `table:` setting into SQL that names exactly that table.
#ifndef SLUICE_PLUGINS_EXTRACT_POSTGRES_SQL_IDENTIFIER_H_
#define SLUICE_PLUGINS_EXTRACT_POSTGRES_SQL_IDENTIFIER_H_

#include <optional>
#include <string>
#include <string_view>

namespace sluice::postgres {

/// `name` as a PostgreSQL quoted identifier: wrapped in double quotes, inner quotes doubled
/// ("a""b"). Case is kept: `Transacoes` names the table created as "Transacoes", not
/// transacoes.
std::string QuoteIdentifier(std::string_view name);

/// "table" or "schema.table" as a quoted, qualified name ("schema"."table"). Returns nullopt
/// and explains in *error when a part is empty, there are more than two parts, or a part
/// holds a NUL byte.
std::optional<std::string> QualifiedTableName(std::string_view table, std::string* error);

}  // namespace sluice::postgres

#endif  // SLUICE_PLUGINS_EXTRACT_POSTGRES_SQL_IDENTIFIER_H_
