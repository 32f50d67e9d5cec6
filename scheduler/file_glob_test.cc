#include "scheduler/file_glob.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

std::string Problem(std::string_view pattern) {
  const std::optional<FileGlobProblem> problem = CheckFileGlob(pattern);
  return problem ? problem->what : "";
}

TEST(FileGlobTest, AcceptsWildcardsInTheFileNameAndPlainFiles) {
  EXPECT_EQ(Problem("incoming/*.csv"), "");
  EXPECT_EQ(Problem("/data/in/orders-????_[0-9][0-9].csv"), "");
  EXPECT_EQ(Problem("*.csv"), "");
  EXPECT_EQ(Problem("../shared/[!.]*"), "");
  EXPECT_EQ(Problem("incoming/orders.csv"), "");  // a single file
  EXPECT_EQ(Problem("incoming/[]]x"), "");         // ']' first in a set belongs to it
  EXPECT_EQ(Problem("incoming/[[:digit:]]*.csv"), "");
}

TEST(FileGlobTest, RefusesAnEmptyPattern) { EXPECT_EQ(Problem(""), "the pattern is empty"); }

TEST(FileGlobTest, RefusesDoubleStarAnywhere) {
  EXPECT_EQ(Problem("incoming/**.csv"), "'**' is not supported");
  EXPECT_EQ(Problem("incoming/**/x.csv"), "'**' is not supported");
}

TEST(FileGlobTest, RefusesAWildcardBeforeTheLastSlashAndNamesTheComponent) {
  EXPECT_EQ(Problem("in*/x.csv"), "the folder part has a wildcard in 'in*'");
  EXPECT_EQ(Problem("/data/2024-0?/orders/*.csv"), "the folder part has a wildcard in '2024-0?'");
  EXPECT_EQ(Problem("data/[ab]/x.csv"), "the folder part has a wildcard in '[ab]'");
  const std::optional<FileGlobProblem> problem = CheckFileGlob("in*/x.csv");
  ASSERT_TRUE(problem.has_value());
  EXPECT_NE(problem->how_to_fix.find("only the file name"), std::string::npos);
}

TEST(FileGlobTest, RefusesAPatternThatEndsWithAFolder) {
  EXPECT_EQ(Problem("incoming/"), "it does not end with a file name");
  EXPECT_EQ(Problem("incoming/.."), "it does not end with a file name");
  EXPECT_EQ(Problem("."), "it does not end with a file name");
  EXPECT_EQ(Problem("/"), "it does not end with a file name");
}

TEST(FileGlobTest, RefusesAnUnclosedBracket) {
  EXPECT_EQ(Problem("incoming/orders-[0-9.csv"), "a '[' is not closed");
  EXPECT_EQ(Problem("incoming/x[]"), "a '[' is not closed");
}

TEST(FileGlobTest, ResolvesARelativePatternAgainstTheDagFilesFolder) {
  const ResolvedFileGlob absolute = ResolveFileGlob("/etc/sluice/dags/sales.yaml", "incoming/*.csv");
  EXPECT_EQ(absolute.pattern, "/etc/sluice/dags/incoming/*.csv");
  EXPECT_EQ(absolute.directory, "/etc/sluice/dags/incoming");
  EXPECT_EQ(absolute.name_glob, "*.csv");

  const ResolvedFileGlob relative = ResolveFileGlob("dags/sales.yaml", "./in/../drop/*.csv");
  EXPECT_EQ(relative.pattern, "dags/drop/*.csv");
  EXPECT_EQ(relative.directory, "dags/drop");

  const ResolvedFileGlob up = ResolveFileGlob("dags/sales.yaml", "../landing/x.csv");
  EXPECT_EQ(up.pattern, "landing/x.csv");
  EXPECT_EQ(up.name_glob, "x.csv");
}

TEST(FileGlobTest, AnAbsolutePatternIgnoresTheDagFilesFolder) {
  const ResolvedFileGlob resolved = ResolveFileGlob("dags/sales.yaml", "/data//in/./*.csv");
  EXPECT_EQ(resolved.pattern, "/data/in/*.csv");
  EXPECT_EQ(resolved.directory, "/data/in");
}

TEST(FileGlobTest, APatternWithoutAFolderNamesTheCurrentOne) {
  const ResolvedFileGlob resolved = ResolveFileGlob("sales.yaml", "*.csv");
  EXPECT_EQ(resolved.pattern, "*.csv");
  EXPECT_EQ(resolved.directory, ".");
  EXPECT_EQ(resolved.name_glob, "*.csv");
  EXPECT_EQ(ResolveFileGlob("/sales.yaml", "*.csv").directory, "/");
}

TEST(FileGlobTest, MatchesLikeTheShellWithinOneName) {
  EXPECT_TRUE(MatchesFileGlob("*.csv", "orders.csv"));
  EXPECT_FALSE(MatchesFileGlob("*.csv", "orders.csv.tmp"));
  EXPECT_TRUE(MatchesFileGlob("orders-????.csv", "orders-2024.csv"));
  EXPECT_FALSE(MatchesFileGlob("orders-????.csv", "orders-24.csv"));
  EXPECT_TRUE(MatchesFileGlob("[ab]*.csv", "b1.csv"));
  EXPECT_FALSE(MatchesFileGlob("[!ab]*.csv", "b1.csv"));
  EXPECT_TRUE(MatchesFileGlob("orders.csv", "orders.csv"));
}

TEST(FileGlobTest, HiddenFilesMatchOnlyAnExplicitLeadingDot) {
  EXPECT_FALSE(MatchesFileGlob("*.csv", ".orders.csv"));
  EXPECT_FALSE(MatchesFileGlob("?orders.csv", ".orders.csv"));
  EXPECT_TRUE(MatchesFileGlob(".*.csv", ".orders.csv"));
}

TEST(FileGlobTest, BackslashIsAnOrdinaryCharacter) {
  EXPECT_TRUE(MatchesFileGlob("a\\*", "a\\b"));
  EXPECT_FALSE(MatchesFileGlob("a\\*", "a*"));
  EXPECT_TRUE(MatchesFileGlob("a[*]", "a*"));
}

}  // namespace
}  // namespace sluice
