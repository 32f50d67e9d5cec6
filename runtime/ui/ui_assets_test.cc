#include "runtime/ui_assets.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace sluice {
namespace {

TEST(UiAssetsTest, IndexHtmlIsServedAsHtmlAndMayChange) {
  const UiAsset* index = FindUiAsset("/index.html");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_FALSE(index->immutable) << "a new build changes index.html under the same name";
  EXPECT_NE(index->body.find("<html"), std::string_view::npos);
}

TEST(UiAssetsTest, UnknownPathsAndPrefixesAreNotFound) {
  EXPECT_EQ(FindUiAsset("/missing.js"), nullptr);
  EXPECT_EQ(FindUiAsset("/"), nullptr) << "the server answers / with index.html itself";
  EXPECT_EQ(FindUiAsset("index.html"), nullptr) << "paths start with /";
  EXPECT_EQ(FindUiAsset("/index.htm"), nullptr);
}

#if SLUICE_UI_BUILT
// Every file index.html loads is embedded, under its hashed name, with its type.
TEST(UiAssetsTest, EveryFileIndexHtmlLoadsIsEmbeddedAndCachedForever) {
  const std::string html(FindUiAsset("/index.html")->body);
  const std::regex reference(R"((?:src|href)="(/assets/[^"]+))");
  int found = 0;
  for (std::sregex_iterator it(html.begin(), html.end(), reference), end; it != end; ++it) {
    const std::string path = (*it)[1];
    const UiAsset* asset = FindUiAsset(path);
    ASSERT_NE(asset, nullptr) << path;
    EXPECT_TRUE(asset->immutable) << path;
    EXPECT_GT(asset->body.size(), 100u) << path;
    if (path.ends_with(".js")) {
      EXPECT_EQ(asset->content_type, "text/javascript; charset=utf-8");
    } else if (path.ends_with(".css")) {
      EXPECT_EQ(asset->content_type, "text/css; charset=utf-8");
    }
    ++found;
  }
  EXPECT_GE(found, 2) << "a script and a stylesheet:\n" << html;
}
#else
TEST(UiAssetsTest, WithoutTheUiTheOnePageSaysHowToBuildIt) {
  const UiAsset* index = FindUiAsset("/index.html");
  ASSERT_NE(index, nullptr);
  EXPECT_NE(index->body.find("-DSLUICE_UI=ON"), std::string_view::npos);
}
#endif

}  // namespace
}  // namespace sluice
