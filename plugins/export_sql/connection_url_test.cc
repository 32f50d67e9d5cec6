#include "connection_url.h"

#include <gtest/gtest.h>

namespace sluice::export_sql {
namespace {

ConnectionTarget Parsed(const std::string& text) {
  std::string error;
  const std::optional<ConnectionTarget> target = ParseConnectionUrl(text, &error);
  EXPECT_TRUE(target.has_value()) << text << ": " << error;
  return target.value_or(ConnectionTarget{});
}

std::string ErrorFor(const std::string& text) {
  std::string error;
  EXPECT_FALSE(ParseConnectionUrl(text, &error).has_value()) << text;
  return error;
}

TEST(ConnectionUrlTest, SqliteTakesAnAbsoluteOrARelativePath) {
  const ConnectionTarget absolute = Parsed("sqlite:///data/lake.db");
  EXPECT_EQ(absolute.dialect, Dialect::kSqlite);
  EXPECT_EQ(absolute.path, "/data/lake.db");
  EXPECT_EQ(absolute.Display(), "sqlite:///data/lake.db");
  const ConnectionTarget relative = Parsed("sqlite:out/lake%20v2.db");
  EXPECT_EQ(relative.path, "out/lake v2.db");
  EXPECT_EQ(relative.Display(), "sqlite:out/lake v2.db");
}

TEST(ConnectionUrlTest, SqliteRefusesAHostAndAMissingFile) {
  EXPECT_NE(ErrorFor("sqlite://server/lake.db").find("names a file, not a host"),
            std::string::npos);
  EXPECT_NE(ErrorFor("sqlite:").find("names no database file"), std::string::npos);
}

TEST(ConnectionUrlTest, MysqlDefaultsToPort3306) {
  const ConnectionTarget target = Parsed("mysql://etl@db.internal/lake");
  EXPECT_EQ(target.dialect, Dialect::kMysql);
  EXPECT_EQ(target.user, "etl");
  EXPECT_EQ(target.host, "db.internal");
  EXPECT_EQ(target.port, 3306);
  EXPECT_EQ(target.database, "lake");
  EXPECT_EQ(target.Display(), "mysql://etl@db.internal:3306/lake");
}

TEST(ConnectionUrlTest, PostgresAcceptsBothSchemesAPortAndAnEncodedSocketFolder) {
  const ConnectionTarget target = Parsed("postgres://etl@127.0.0.1:6543/lake");
  EXPECT_EQ(target.dialect, Dialect::kPostgres);
  EXPECT_EQ(target.port, 6543);
  EXPECT_EQ(target.Display(), "postgresql://etl@127.0.0.1:6543/lake");
  const ConnectionTarget socket = Parsed("postgresql://etl@%2Frun%2Fpostgresql/lake");
  EXPECT_EQ(socket.host, "/run/postgresql");
  EXPECT_EQ(socket.port, 5432);
  EXPECT_EQ(Parsed("postgresql://etl@[::1]:5433/lake").host, "::1");
}

TEST(ConnectionUrlTest, APasswordInTheUrlIsRefusedWithoutRepeatingIt) {
  const std::string error = ErrorFor("mysql://etl:hunter2@db/lake");
  EXPECT_NE(error.find("password_env"), std::string::npos) << error;
  EXPECT_EQ(error.find("hunter2"), std::string::npos) << error;
}

TEST(ConnectionUrlTest, MalformedServerUrlsSayWhatIsWrong) {
  EXPECT_NE(ErrorFor("mysql://db/lake").find("no user"), std::string::npos);
  EXPECT_NE(ErrorFor("mysql://etl@db").find("no database"), std::string::npos);
  EXPECT_NE(ErrorFor("mysql://etl@db:99999/lake").find("'99999' is not a number from 1 to 65535"),
            std::string::npos);
  EXPECT_NE(ErrorFor("postgresql://etl@db/lake?sslmode=require").find("no further"),
            std::string::npos);
  EXPECT_NE(ErrorFor("oracle://etl@db/lake").find("must start with sqlite:"), std::string::npos);
}

}  // namespace
}  // namespace sluice::export_sql
