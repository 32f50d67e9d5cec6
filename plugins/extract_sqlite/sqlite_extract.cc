#include "sqlite_extract.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>

#include "sluice/plugin.hpp"
#include "sqlite_column_types.h"
#include "sqlite_value_reader.h"

namespace sluice::sqlite {
namespace {

namespace ds = sluice::dataset;

struct CloseDatabase {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct FinalizeStatement {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Database = std::unique_ptr<sqlite3, CloseDatabase>;
using Statement = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

// SQLite's read-only open fails on a missing file with "unable to open database file"; say
// which file and what to check instead.
void RequireDatabaseFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    throw sdk::Failure("the database file " + path + " cannot be read: " + std::strerror(errno) +
                           "; check `database` (extract.sqlite opens an existing file "
                           "read-only and never creates one)",
                       "/database");
  }
  if (!S_ISREG(st.st_mode)) {
    throw sdk::Failure(path + " is not a file; `database` must name a SQLite database file",
                       "/database");
  }
}

Database Open(const std::string& path) {
  RequireDatabaseFile(path);
  sqlite3* raw = nullptr;
  // NOMUTEX: one thread uses this connection, so SQLite need not lock its mutex around every
  // call (a sixth of the time per row in the serialized mode).
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  Database db(raw);
  if (rc != SQLITE_OK) {
    throw sdk::Failure("cannot open the database " + path + ": " +
                           (db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc)) +
                           "; check `database` and the file's permissions",
                       "/database");
  }
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  return db;
}

Statement Prepare(sqlite3* db, const SqliteExtractOptions& options) {
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v2(db, options.query.c_str(),
                                    static_cast<int>(options.query.size()), &raw, &tail);
  Statement statement(raw);
  const std::string where = options.database + ": ";
  if (rc != SQLITE_OK) {
    throw sdk::Failure(where + "cannot prepare the query: " + sqlite3_errmsg(db) +
                           "; check the table and column names in " + options.query_setting.substr(1),
                       options.query_setting);
  }
  if (!statement) {
    throw sdk::Failure("the query is empty; write one SELECT statement", options.query_setting);
  }
  // Only comments and spaces may follow: a second statement would silently never run.
  if (tail != nullptr && *tail != '\0') {
    sqlite3_stmt* next = nullptr;
    sqlite3_prepare_v2(db, tail, -1, &next, nullptr);
    const bool more = next != nullptr;
    sqlite3_finalize(next);
    if (more) {
      throw sdk::Failure("the query holds more than one statement; write exactly one SELECT",
                         options.query_setting);
    }
  }
  if (!sqlite3_stmt_readonly(statement.get())) {
    throw sdk::Failure("the query would change the database; extract.sqlite only reads, so "
                       "write a SELECT",
                       options.query_setting);
  }
  if (sqlite3_column_count(statement.get()) == 0) {
    throw sdk::Failure("the query returns no columns; write a SELECT", options.query_setting);
  }
  return statement;
}

void Bind(sqlite3* db, sqlite3_stmt* statement, const SqliteExtractOptions& options) {
  const int expected = sqlite3_bind_parameter_count(statement);
  if (static_cast<size_t>(expected) != options.params.size()) {
    throw sdk::Failure("the query has " + std::to_string(expected) + " parameter(s) (?) but " +
                           "`params` gives " + std::to_string(options.params.size()) +
                           "; give one value per ?, in order",
                       "/params");
  }
  for (size_t i = 0; i < options.params.size(); ++i) {
    const int at = static_cast<int>(i) + 1;
    const SqlParam& param = options.params[i];
    int rc = SQLITE_OK;
    if (std::holds_alternative<std::nullptr_t>(param)) {
      rc = sqlite3_bind_null(statement, at);
    } else if (const int64_t* n = std::get_if<int64_t>(&param)) {
      rc = sqlite3_bind_int64(statement, at, *n);
    } else if (const double* x = std::get_if<double>(&param)) {
      rc = sqlite3_bind_double(statement, at, *x);
    } else if (const bool* b = std::get_if<bool>(&param)) {
      rc = sqlite3_bind_int(statement, at, *b ? 1 : 0);
    } else {
      const std::string& text = std::get<std::string>(param);
      rc = sqlite3_bind_text(statement, at, text.data(), static_cast<int>(text.size()),
                             SQLITE_STATIC);  // `options` outlives the statement
    }
    if (rc != SQLITE_OK) {
      throw sdk::Failure("cannot bind parameter " + std::to_string(at) + ": " +
                             sqlite3_errmsg(db),
                         "/params/" + std::to_string(i));
    }
  }
}

std::string ResultColumnNames(sqlite3_stmt* statement) {
  std::string names;
  for (int i = 0; i < sqlite3_column_count(statement); ++i) {
    names += (i == 0 ? "" : ", ") + std::string(sqlite3_column_name(statement, i));
  }
  return names;
}

// Steps once; true on a row, false at the end, Failure for anything else.
bool Step(sqlite3* db, sqlite3_stmt* statement, const SqliteExtractOptions& options) {
  const int rc = sqlite3_step(statement);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string fix = "; check the query";
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    fix = "; another connection held a lock for more than " +
          std::to_string(kBusyTimeoutMs / 1000) + " s: retry when it is done";
  }
  throw sdk::Failure(options.database + ": the query failed: " + sqlite3_errmsg(db) + fix);
}

// The result's schema: `columns` overrides, then declared types; the indexes of columns
// that have neither are returned in *undetermined.
ds::Schema SchemaFromStatement(sqlite3_stmt* statement, const SqliteExtractOptions& options,
                               std::vector<size_t>* undetermined) {
  const int count = sqlite3_column_count(statement);
  ds::Schema schema;
  std::vector<bool> override_used(options.column_types.size(), false);
  for (int i = 0; i < count; ++i) {
    ds::Column column{sqlite3_column_name(statement, i)};
    for (const ds::Column& earlier : schema) {
      if (earlier.name == column.name) {
        throw sdk::Failure("the query returns two columns named '" + column.name +
                               "'; give one an alias (SELECT a.id, b.id AS b_id ...)",
                           options.query_setting);
      }
    }
    std::optional<size_t> chosen;
    for (size_t o = 0; o < options.column_types.size(); ++o) {
      if (options.column_types[o].name == column.name) chosen = o;
    }
    if (chosen) {
      override_used[*chosen] = true;
      column = options.column_types[*chosen];
    } else if (const char* declared = sqlite3_column_decltype(statement, i);
               declared != nullptr && *declared != '\0') {
      std::string error;
      if (!TypeFromDeclaration(declared, &column, &error)) {
        throw sdk::Failure(options.database + ": column '" + column.name + "' " + error,
                           "/columns");
      }
    } else {
      undetermined->push_back(static_cast<size_t>(i));
    }
    schema.push_back(std::move(column));
  }
  for (size_t o = 0; o < override_used.size(); ++o) {
    if (!override_used[o]) {
      throw sdk::Failure("`columns` names '" + options.column_types[o].name +
                             "', which the query does not return; its columns are: " +
                             ResultColumnNames(statement),
                         "/columns/" + std::to_string(o) + "/name");
    }
  }
  return schema;
}

// Types the columns in `undetermined` from their first non-null value, stepping through the
// result at most once and then rewinding it (bindings survive sqlite3_reset). A column that
// is null in every row is a string.
void TypeFromFirstValues(sqlite3* db, sqlite3_stmt* statement,
                         const SqliteExtractOptions& options, std::vector<size_t> undetermined,
                         ds::Schema* schema) {
  for (size_t i : undetermined) (*schema)[i].type = ds::Type::kString;
  while (!undetermined.empty() && Step(db, statement, options)) {
    for (size_t k = 0; k < undetermined.size();) {
      const size_t i = undetermined[k];
      const int storage = sqlite3_column_type(statement, static_cast<int>(i));
      if (storage == SQLITE_NULL) {
        ++k;
        continue;
      }
      std::string error;
      if (!TypeFromStorageClass(storage, &(*schema)[i], &error)) {
        throw sdk::Failure(options.database + ": column '" + (*schema)[i].name + "' " + error,
                           options.query_setting);
      }
      undetermined.erase(undetermined.begin() + static_cast<long>(k));
    }
  }
  sqlite3_reset(statement);
}

}  // namespace

std::string SelectAllFrom(const std::string& table) {
  std::string quoted = "\"";
  for (char c : table) {
    quoted.push_back(c);
    if (c == '"') quoted.push_back('"');
  }
  return "SELECT * FROM " + quoted + "\"";
}

SqliteExtractStats ExtractSqlite(const SqliteExtractOptions& options,
                                 const std::string& output_path) {
  const Database db = Open(options.database);
  const Statement statement = Prepare(db.get(), options);
  Bind(db.get(), statement.get(), options);

  SqliteExtractStats stats;
  std::vector<size_t> undetermined;
  ds::Schema schema = SchemaFromStatement(statement.get(), options, &undetermined);
  if (!undetermined.empty()) {
    TypeFromFirstValues(db.get(), statement.get(), options, undetermined, &schema);
    stats.looked_ahead = true;
  }

  ds::Writer writer(output_path, std::move(schema));
  const int columns = static_cast<int>(writer.schema().size());
  std::string scratch, error;
  while (Step(db.get(), statement.get(), options)) {
    ++stats.rows;
    for (int c = 0; c < columns; ++c) {
      if (AppendSqliteValue(statement.get(), c, writer, &scratch, &error)) continue;
      const ds::Column& column = writer.schema()[static_cast<size_t>(c)];
      throw sdk::Failure(options.database + ": row " + std::to_string(stats.rows) +
                         ", column '" + column.name + "' (" + ds::TypeName(column) + "): " +
                         error + "; fix: correct the value in the database, convert it in " +
                         "`query`, or declare the column's type in `columns`");
    }
    writer.EndRow();
  }
  writer.Finish();
  stats.bytes_out = writer.file_size();
  return stats;
}

}  // namespace sluice::sqlite
