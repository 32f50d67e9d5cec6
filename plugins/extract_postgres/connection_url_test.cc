#include "connection_url.h"

#include <gtest/gtest.h>

namespace sluice::postgres {
namespace {

ConnectionTarget Parse(const std::string& url) {
  std::string error;
  std::optional<ConnectionTarget> target = ParseConnectionUrl(url, &error);
  EXPECT_TRUE(target.has_value()) << url << ": " << error;
  return target.value_or(ConnectionTarget{});
}

std::string ErrorOf(const std::string& url) {
  std::string error;
  EXPECT_FALSE(ParseConnectionUrl(url, &error).has_value()) << url;
  return error;
}

TEST(ConnectionUrlTest, UserHostPortAndDatabaseBecomeTheirOwnFields) {
  const ConnectionTarget target = Parse("postgresql://condo@127.0.0.1:5432/condominios");
  EXPECT_EQ(target.user, "condo");
  EXPECT_EQ(target.host, "127.0.0.1");
  EXPECT_EQ(target.port, "5432");
  EXPECT_EQ(target.database, "condominios");
  EXPECT_TRUE(target.parameters.empty());
  EXPECT_EQ(target.Display(), "postgresql://condo@127.0.0.1:5432/condominios");
}

TEST(ConnectionUrlTest, PostgresSchemeWithoutPortOrUserLeavesThemToLibpq) {
  const ConnectionTarget target = Parse("postgres://db.example.com/sales");
  EXPECT_EQ(target.user, "");
  EXPECT_EQ(target.host, "db.example.com");
  EXPECT_EQ(target.port, "");
  EXPECT_EQ(target.Display(), "postgresql://db.example.com/sales");
}

TEST(ConnectionUrlTest, PercentEscapesAreDecodedSoASocketFolderCanBeTheHost) {
  const ConnectionTarget target = Parse("postgresql://ana%40corp@%2Frun%2Fpostgresql/caf%C3%A9");
  EXPECT_EQ(target.user, "ana@corp");
  EXPECT_EQ(target.host, "/run/postgresql");
  EXPECT_EQ(target.database, "caf\xC3\xA9");
}

TEST(ConnectionUrlTest, BracketedIpv6AddressKeepsItsColons) {
  const ConnectionTarget target = Parse("postgresql://u@[::1]:6543/db");
  EXPECT_EQ(target.host, "::1");
  EXPECT_EQ(target.port, "6543");
  EXPECT_EQ(target.Display(), "postgresql://u@[::1]:6543/db");
}

TEST(ConnectionUrlTest, AllowedParametersArePassedOnInOrder) {
  const ConnectionTarget target =
      Parse("postgresql://u@h/db?sslmode=require&connect_timeout=5&application_name=etl%20job");
  ASSERT_EQ(target.parameters.size(), 3u);
  EXPECT_EQ(target.parameters[0], (std::pair<std::string, std::string>{"sslmode", "require"}));
  EXPECT_EQ(target.parameters[1].second, "5");
  EXPECT_EQ(target.parameters[2].second, "etl job");
}

TEST(ConnectionUrlTest, PasswordInTheUserPartIsRefusedWithoutRepeatingIt) {
  const std::string error = ErrorOf("postgresql://condo:Sup3rS3cret@h/db");
  EXPECT_NE(error.find("password_env"), std::string::npos) << error;
  EXPECT_EQ(error.find("Sup3rS3cret"), std::string::npos) << error;
}

TEST(ConnectionUrlTest, PasswordParameterIsRefusedWithoutRepeatingIt) {
  const std::string error = ErrorOf("postgresql://condo@h/db?password=Sup3rS3cret");
  EXPECT_NE(error.find("password_file"), std::string::npos) << error;
  EXPECT_EQ(error.find("Sup3rS3cret"), std::string::npos) << error;
}

TEST(ConnectionUrlTest, ParametersThatCouldUndoTheSessionSettingsAreRefused) {
  EXPECT_NE(ErrorOf("postgresql://u@h/db?options=-c%20TimeZone%3DEurope").find("sslmode"),
            std::string::npos);
}

TEST(ConnectionUrlTest, MalformedUrlsSayWhatToWrite) {
  EXPECT_NE(ErrorOf("mysql://u@h/db").find("postgresql://"), std::string::npos);
  EXPECT_NE(ErrorOf("postgresql://u@h").find("database"), std::string::npos);
  EXPECT_NE(ErrorOf("postgresql://u@h/").find("database"), std::string::npos);
  EXPECT_NE(ErrorOf("postgresql://u@h:99999/db").find("port"), std::string::npos);
  EXPECT_NE(ErrorOf("postgresql://u@h:54a/db").find("port"), std::string::npos);
  EXPECT_NE(ErrorOf("postgresql://u@/db").find("host"), std::string::npos);
  EXPECT_NE(ErrorOf("postgresql://u@h1,h2/db").find("several hosts"), std::string::npos);
  EXPECT_NE(ErrorOf("postgresql://u@h/a/b").find("database"), std::string::npos);
  EXPECT_NE(ErrorOf("postgresql://u@h%2/db").find("%"), std::string::npos);
  EXPECT_NE(ErrorOf("postgresql://u@h/d%00b").find("database"), std::string::npos);  // libpq takes C strings
  EXPECT_NE(ErrorOf("postgresql://u@[::1/db").find("]"), std::string::npos);
}

}  // namespace
}  // namespace sluice::postgres
