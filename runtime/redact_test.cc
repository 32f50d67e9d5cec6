#include "runtime/redact.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace sluice {
namespace {

TEST(RedactTest, ReplacesEveryOccurrenceOfEverySecret) {
  EXPECT_EQ(Redact("user=admin pass=hunter22 again hunter22", {"hunter22", "admin-x"}),
            "user=admin pass=*** again ***");
}

TEST(RedactTest, LongerSecretWinsOverOneItContains) {
  EXPECT_EQ(Redact("token abcdef123456", {"abcd", "abcdef123456"}), "token ***");
}

TEST(RedactTest, ShortValuesAreNotSecrets) {
  EXPECT_EQ(Redact("region eu, 1 replica", {"eu", "1"}), "region eu, 1 replica");
}

TEST(RedactTest, SecretNextToRedactionMarkerIsStillFound) {
  EXPECT_EQ(Redact("s3cr3ts3cr3t", {"s3cr3t"}), "******");
}

TEST(RedactTest, RewritesOnlyFilesThatHoldASecret) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("sluice-redact-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "a.log").string();
  std::ofstream(path) << "connecting with p4ssw0rd\nok\n";
  ASSERT_TRUE(RedactFile(path, {"p4ssw0rd"}).ok());
  std::stringstream s;
  s << std::ifstream(path).rdbuf();
  EXPECT_EQ(s.str(), "connecting with ***\nok\n");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir),
                          std::filesystem::directory_iterator()),
            1) << "no temporary file left";
  EXPECT_TRUE(RedactFile((dir / "missing.log").string(), {"p4ssw0rd"}).ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sluice
