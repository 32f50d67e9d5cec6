// OpenDatabase: picks the engine the connection names.
#include "database.h"
#include "mysql_database.h"
#include "postgres_database.h"
#include "sqlite_database.h"

namespace sluice::export_sql {

std::unique_ptr<Database> OpenDatabase(const ConnectionTarget& target,
                                       const std::string& password) {
  switch (target.dialect) {
    case Dialect::kSqlite: return OpenSqliteDatabase(target);
    case Dialect::kMysql: return OpenMysqlDatabase(target, password);
    case Dialect::kPostgres: return OpenPostgresDatabase(target, password);
  }
  return nullptr;
}

}  // namespace sluice::export_sql
