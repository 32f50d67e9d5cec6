// The SQL text export.sql sends, and the checks of an existing table, compared with statements
// written out by hand.
#include "sql_statements.h"

#include <gtest/gtest.h>

#include "table_check.h"

namespace sluice::export_sql {
namespace {

namespace ds = sluice::dataset;

const TableName kTable{"", "flat"};

TEST(SqlDialectTest, QuotingDoublesTheQuoteCharacterSoANameCannotEndEarly) {
  EXPECT_EQ(QuoteIdentifier(Dialect::kPostgres, "a\"; DROP TABLE x; --"),
            "\"a\"\"; DROP TABLE x; --\"");
  EXPECT_EQ(QuoteIdentifier(Dialect::kMysql, "a`b"), "`a``b`");
  EXPECT_EQ(QuoteIdentifier(Dialect::kMysql, "a\"b"), "`a\"b`");
  EXPECT_EQ(QuoteTable(Dialect::kSqlite, {"main", "t"}), "\"main\".\"t\"");
}

TEST(SqlDialectTest, TableNamesSplitAtOneDot) {
  std::string error;
  const auto qualified = ParseTableName("lake.movimento_flat", &error);
  ASSERT_TRUE(qualified);
  EXPECT_EQ(qualified->schema, "lake");
  EXPECT_EQ(qualified->table, "movimento_flat");
  EXPECT_FALSE(ParseTableName("a.b.c", &error));
  EXPECT_NE(error.find("more than one dot"), std::string::npos);
  EXPECT_FALSE(ParseTableName(".t", &error));
  EXPECT_FALSE(ParseTableName(std::string(64, 'x'), &error));
  EXPECT_NE(error.find("longer than 63 bytes"), std::string::npos);
}

TEST(SqlStatementsTest, CreateTableMapsEachTypePerDialectAndDeclaresTheKey) {
  const ds::Schema schema = {{"id", ds::Type::kString},        {"n", ds::Type::kInt64},
                             {"f", ds::Type::kFloat64},        {"d", ds::Type::kDecimal, 10, 2},
                             {"b", ds::Type::kBool},           {"day", ds::Type::kDate},
                             {"at", ds::Type::kTimestamp},     {"s", ds::Type::kString}};
  EXPECT_EQ(CreateTableSql(Dialect::kMysql, kTable, schema, {"id"}),
            "CREATE TABLE `flat` (`id` VARCHAR(255) NOT NULL, `n` BIGINT, `f` DOUBLE, "
            "`d` DECIMAL(10,2), `b` BOOLEAN, `day` DATE, `at` DATETIME(6), `s` TEXT, "
            "PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
  EXPECT_EQ(CreateTableSql(Dialect::kPostgres, kTable, schema, {}),
            "CREATE TABLE \"flat\" (\"id\" TEXT, \"n\" BIGINT, \"f\" DOUBLE PRECISION, "
            "\"d\" NUMERIC(10,2), \"b\" BOOLEAN, \"day\" DATE, "
            "\"at\" TIMESTAMP WITHOUT TIME ZONE, \"s\" TEXT)");
  EXPECT_EQ(CreateTableSql(Dialect::kSqlite, kTable, schema, {"n", "id"}),
            "CREATE TABLE \"flat\" (\"id\" TEXT NOT NULL, \"n\" BIGINT NOT NULL, \"f\" REAL, "
            "\"d\" DECIMAL(10,2), \"b\" BOOLEAN, \"day\" DATE, \"at\" TIMESTAMP, \"s\" TEXT, "
            "PRIMARY KEY (\"n\", \"id\"))");
}

TEST(SqlStatementsTest, InsertHasOnePlaceholderPerValueNumberedForPostgres) {
  EXPECT_EQ(InsertSql(Dialect::kPostgres, kTable, {"a", "b"}, 2, WriteMode::kAppend, {}),
            "INSERT INTO \"flat\" (\"a\", \"b\") VALUES ($1, $2), ($3, $4)");
  EXPECT_EQ(InsertSql(Dialect::kMysql, kTable, {"a", "b"}, 2, WriteMode::kReplace, {}),
            "INSERT INTO `flat` (`a`, `b`) VALUES (?, ?), (?, ?)");
}

TEST(SqlStatementsTest, UpsertUpdatesTheNonKeyColumnsInEachDialect) {
  EXPECT_EQ(InsertSql(Dialect::kSqlite, kTable, {"id", "v", "w"}, 1, WriteMode::kUpsert, {"id"}),
            "INSERT INTO \"flat\" (\"id\", \"v\", \"w\") VALUES (?, ?, ?) ON CONFLICT (\"id\") "
            "DO UPDATE SET \"v\" = excluded.\"v\", \"w\" = excluded.\"w\"");
  EXPECT_EQ(InsertSql(Dialect::kMysql, kTable, {"id", "v"}, 1, WriteMode::kUpsert, {"id"}),
            "INSERT INTO `flat` (`id`, `v`) VALUES (?, ?) ON DUPLICATE KEY UPDATE "
            "`v` = VALUES(`v`)");
}

TEST(SqlStatementsTest, UpsertWithEveryColumnInTheKeyLeavesConflictingRowsAlone) {
  EXPECT_EQ(InsertSql(Dialect::kPostgres, kTable, {"a", "b"}, 1, WriteMode::kUpsert, {"a", "b"}),
            "INSERT INTO \"flat\" (\"a\", \"b\") VALUES ($1, $2) ON CONFLICT (\"a\", \"b\") "
            "DO NOTHING");
  EXPECT_EQ(InsertSql(Dialect::kMysql, kTable, {"a"}, 1, WriteMode::kUpsert, {"a"}),
            "INSERT INTO `flat` (`a`) VALUES (?) ON DUPLICATE KEY UPDATE `a` = `a`");
}

TEST(SqlStatementsTest, ReplaceDeletesRatherThanTruncates) {
  EXPECT_EQ(DeleteAllSql(Dialect::kMysql, {"lake", "flat"}), "DELETE FROM `lake`.`flat`");
}

TEST(TableCheckTest, MissingColumnsListsThoseTheTableLacksInDatasetOrder) {
  EXPECT_EQ(MissingColumns({"ID", "name"}, {"amount", "id", "name", "day"}, true),
            (std::vector<std::string>{"amount", "day"}));
  EXPECT_EQ(MissingColumns({"ID", "name"}, {"id"}, false), (std::vector<std::string>{"id"}));
}

TEST(TableCheckTest, AUniqueKeyMustHaveExactlyTheKeyColumnsInAnyOrder) {
  const TableShape shape{{"a", "b", "c"}, {{"a"}, {"b", "c"}}};
  EXPECT_TRUE(HasUniqueKeyOn(shape, {"a"}, false));
  EXPECT_TRUE(HasUniqueKeyOn(shape, {"c", "b"}, false));
  EXPECT_FALSE(HasUniqueKeyOn(shape, {"b"}, false));         // part of a key is not unique
  EXPECT_FALSE(HasUniqueKeyOn(shape, {"a", "b"}, false));    // nor a superset's conflict target
  EXPECT_TRUE(HasUniqueKeyOn(shape, {"A"}, true));
  EXPECT_FALSE(HasUniqueKeyOn(shape, {"A"}, false));
}

}  // namespace
}  // namespace sluice::export_sql
