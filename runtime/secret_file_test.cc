#include "runtime/secret_file.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace sluice {
namespace {

TEST(SecretFileTest, TheContentIsReadWithoutSurroundingWhitespace) {
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("sluice-secret-" + std::to_string(::getpid()));
  std::ofstream(file) << "  s3cr3t value\t\r\n\n";
  EXPECT_EQ(ReadSecretFile(file.string()), std::optional<std::string>("s3cr3t value"));
  std::filesystem::remove(file);
  EXPECT_EQ(ReadSecretFile(file.string()), std::nullopt) << "a missing file";
  EXPECT_EQ(TrimWhitespace(" \n\t "), "");
  EXPECT_EQ(TrimWhitespace("a b"), "a b");
}

}  // namespace
}  // namespace sluice
