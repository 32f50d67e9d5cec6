#include "string_dictionary.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace sluice::parquet {
namespace {

TEST(StringDictionaryTest, IndicesFollowFirstAppearanceThroughGrowth) {
  // 20,000 values over 5,000 distinct strings: the table grows several times.
  std::vector<std::string> values;
  for (int i = 0; i < 20'000; ++i) values.push_back("v" + std::to_string(i * 7919 % 5000));
  values.push_back("");  // the empty string is a value like any other
  StringDictionary dictionary;
  std::map<std::string, uint32_t> oracle;  // first-appearance index, computed independently
  size_t plain_bytes = 0;
  for (const std::string& v : values) {
    if (oracle.emplace(v, static_cast<uint32_t>(oracle.size())).second) plain_bytes += 4 + v.size();
    ASSERT_EQ(dictionary.IndexOf(v), oracle.at(v)) << v;
  }
  ASSERT_EQ(dictionary.size(), oracle.size());
  for (const auto& [text, index] : oracle) EXPECT_EQ(dictionary.entries()[index], text);
  EXPECT_EQ(dictionary.plain_bytes(), plain_bytes);
  dictionary.Clear();
  EXPECT_EQ(dictionary.size(), 0u);
  EXPECT_EQ(dictionary.IndexOf("v7"), 0u);
}

}  // namespace
}  // namespace sluice::parquet
