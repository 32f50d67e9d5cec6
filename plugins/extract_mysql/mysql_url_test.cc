#include "mysql_url.h"

#include <gtest/gtest.h>

namespace sluice::mysql {
namespace {

TEST(MysqlUrlTest, ParsesUserHostPortAndDatabase) {
  std::string error;
  const auto url = ParseMysqlUrl("mysql://sicoop@127.0.0.1:3307/sicooperative", &error);
  ASSERT_TRUE(url) << error;
  EXPECT_EQ(url->user, "sicoop");
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 3307);
  EXPECT_EQ(url->database, "sicooperative");
}

TEST(MysqlUrlTest, PortDefaultsTo3306AndDisplayShowsIt) {
  std::string error;
  const auto url = ParseMysqlUrl("mysql://etl@db.internal/sales", &error);
  ASSERT_TRUE(url) << error;
  EXPECT_EQ(url->port, 3306);
  EXPECT_EQ(url->Display(), "mysql://etl@db.internal:3306/sales");
}

TEST(MysqlUrlTest, DecodesPercentEscapesInUserAndDatabase) {
  std::string error;
  const auto url = ParseMysqlUrl("mysql://ana%40corp@h/dados%2Dbrutos", &error);
  ASSERT_TRUE(url) << error;
  EXPECT_EQ(url->user, "ana@corp");
  EXPECT_EQ(url->database, "dados-brutos");
}

TEST(MysqlUrlTest, RefusesAPasswordInTheUrlWithoutRepeatingIt) {
  std::string error;
  EXPECT_FALSE(ParseMysqlUrl("mysql://sicoop:hunter2@h/db", &error));
  EXPECT_NE(error.find("password_env"), std::string::npos) << error;
  EXPECT_EQ(error.find("hunter2"), std::string::npos) << error;
}

TEST(MysqlUrlTest, RefusesMalformedUrlsWithAnExample) {
  for (const char* bad : {"postgres://u@h/db", "mysql://h/db", "mysql://u@h", "mysql://u@h/",
                          "mysql://u@:3306/db", "mysql://u@h:0/db", "mysql://u@h:70000/db",
                          "mysql://u@h:33x/db", "mysql://u@h/db/extra", "mysql://u@h/db?x=1",
                          "mysql://u%4@h/db"}) {
    std::string error;
    EXPECT_FALSE(ParseMysqlUrl(bad, &error)) << bad;
    EXPECT_NE(error.find("mysql://"), std::string::npos) << bad << ": " << error;
  }
}

}  // namespace
}  // namespace sluice::mysql
