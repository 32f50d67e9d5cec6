// Which $n parameters a PostgreSQL query refers to, so `sluice dags validate` can check that
// `params` gives one value for each.
#ifndef SLUICE_PLUGINS_EXTRACT_POSTGRES_SQL_PARAMETERS_H_
#define SLUICE_PLUGINS_EXTRACT_POSTGRES_SQL_PARAMETERS_H_

#include <string_view>

namespace sluice::postgres {

/// The highest n of the $n parameters in `sql`, or 0 when it has none. A $n inside a string
/// ('...', E'...' with backslash escapes, $tag$...$tag$), a quoted identifier ("..."), a
/// comment (-- and nested /* */) or an identifier (a$1) is not a parameter, as PostgreSQL's
/// lexer sees it.
int HighestParameter(std::string_view sql);

}  // namespace sluice::postgres

#endif  // SLUICE_PLUGINS_EXTRACT_POSTGRES_SQL_PARAMETERS_H_
