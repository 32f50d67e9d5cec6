#include "sql_identifier.h"

#include <gtest/gtest.h>

namespace sluice::postgres {
namespace {

std::string Qualified(const std::string& table) {
  std::string error;
  const std::optional<std::string> name = QualifiedTableName(table, &error);
  EXPECT_TRUE(name.has_value()) << table << ": " << error;
  return name.value_or("");
}

std::string ErrorOf(const std::string& table) {
  std::string error;
  EXPECT_FALSE(QualifiedTableName(table, &error).has_value()) << table;
  return error;
}

TEST(SqlIdentifierTest, QuotesWrapTheNameAndInnerQuotesAreDoubled) {
  EXPECT_EQ(QuoteIdentifier("transacoes"), "\"transacoes\"");
  EXPECT_EQ(QuoteIdentifier("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(QuoteIdentifier("\""), "\"\"\"\"");
}

TEST(SqlIdentifierTest, CaseAndSpacesAreKeptExactly) {
  EXPECT_EQ(Qualified("Transacoes"), "\"Transacoes\"");
  EXPECT_EQ(Qualified("my table"), "\"my table\"");
}

TEST(SqlIdentifierTest, SchemaAndTableAreQuotedSeparately) {
  EXPECT_EQ(Qualified("public.transacoes"), "\"public\".\"transacoes\"");
}

TEST(SqlIdentifierTest, InjectionAttemptStaysInsideOneIdentifier) {
  EXPECT_EQ(Qualified("t\"; DROP TABLE x; --"), "\"t\"\"; DROP TABLE x; --\"");
}

TEST(SqlIdentifierTest, EmptyPartsAndExtraDotsAreRefused) {
  EXPECT_NE(ErrorOf("a.b.c").find("more than one dot"), std::string::npos);
  EXPECT_NE(ErrorOf(".t").find("empty part"), std::string::npos);
  EXPECT_NE(ErrorOf("s.").find("empty part"), std::string::npos);
  EXPECT_NE(ErrorOf(std::string("a\0b", 3)).find("NUL"), std::string::npos);
}

}  // namespace
}  // namespace sluice::postgres
