// `sluice plugins list`, `sluice dags validate` and `sluice dags list` end to end.
#include <map>

#include "tests/sluice_cli.h"

namespace sluice::testing {
namespace {

using nlohmann::json;

class PluginsAndDagsTest : public SluiceCliTest {};

TEST_F(PluginsAndDagsTest, ListsShippedAndPathPluginsWithAbiAndPath) {
  json listed = Json("plugins list --json");
  std::map<std::string, json> by_name;
  for (const json& p : listed["plugins"]) by_name[p["name"].get<std::string>()] = p;
  for (const char* name : {"shell", "extract.csv", "export.csv", "test.crashy"}) {
    ASSERT_TRUE(by_name.count(name)) << name << " missing from " << listed.dump();
    EXPECT_EQ(by_name[name]["abi_version"], 1);
    EXPECT_TRUE(std::filesystem::exists(by_name[name]["path"].get<std::string>()));
  }
  EXPECT_EQ(by_name["extract.csv"]["kind"], "extract");
  EXPECT_EQ(by_name["export.csv"]["kind"], "export");
  EXPECT_TRUE(listed["errors"].empty()) << listed["errors"].dump();
}

TEST_F(PluginsAndDagsTest, BrokenPluginFilesAreReportedByName) {
  plugin_path_ = std::string(SLUICE_TEST_PLUGIN_DIR) + "/bad";
  CommandResult r = Sluice("plugins list");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("libsluice_test_bad_abi.so: plugin ABI version 999, but this sluice "
                       "speaks 1"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("libsluice_test_no_entry.so: not a sluice plugin"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("libsluice_not_elf.so: cannot load plugin"), std::string::npos) << r.err;
  // The shipped plugins still load beside the broken ones.
  EXPECT_NE(r.out.find("extract.csv"), std::string::npos) << r.out;
}

TEST_F(PluginsAndDagsTest, ValidateReportsEveryErrorOfEveryFileAndExitsTwo) {
  WriteFile(dir_ / "dags" / "good.yaml", "tasks: [{id: t, plugin: shell, with: {command: 'true'}}]\n");
  WriteFile(dir_ / "dags" / "a.yaml",
            "tasks:\n  - {id: t, plugin: shel, with: {command: 'true'}}\n"
            "  - {id: u, plugin: shell, depends_on: [v], with: {command: 'true'}}\n");
  WriteFile(dir_ / "dags" / "b.yaml", "tasks:\n  - id: t\n    plugin: shell\n    with: {comand: x}\n");
  CommandResult all = Sluice("dags validate");
  EXPECT_EQ(all.exit_code, 2);
  EXPECT_NE(all.err.find("dags/a.yaml:2:"), std::string::npos) << all.err;
  EXPECT_NE(all.err.find("dags/a.yaml:3:"), std::string::npos) << all.err;
  EXPECT_NE(all.err.find("dags/b.yaml:4:"), std::string::npos) << all.err;
  EXPECT_EQ(all.err.find("good.yaml"), std::string::npos) << all.err;
  EXPECT_NE(all.out.find("3 file(s) checked, 2 with errors"), std::string::npos) << all.out;
  EXPECT_EQ(Sluice("dags validate dags/good.yaml").exit_code, 0);
  EXPECT_EQ(Sluice("dags validate dags/missing.yaml").exit_code, 2);
}

TEST_F(PluginsAndDagsTest, ListShowsBrokenFilesWithTheirErrorsAndForgetsDeletedOnes) {
  WriteFile(dir_ / "dags" / "good.yaml",
            "dag: daily\nschedule: '0 3 * * *'\ntasks: [{id: t, plugin: shell, with: {command: 'true'}}]\n");
  WriteFile(dir_ / "dags" / "sub" / "broken.yml", "tasks: [{id: t}]\n");
  json listed = Json("dags list --json");
  ASSERT_EQ(listed.size(), 2u) << listed.dump();
  std::map<std::string, json> by_file;
  for (const json& d : listed) by_file[d["file"].get<std::string>()] = d;
  EXPECT_EQ(by_file["dags/good.yaml"]["dag_id"], "daily");
  EXPECT_EQ(by_file["dags/good.yaml"]["valid"], true);
  EXPECT_EQ(by_file["dags/good.yaml"]["tasks"], 1);
  EXPECT_EQ(by_file["dags/sub/broken.yml"]["valid"], false);
  EXPECT_NE(by_file["dags/sub/broken.yml"]["error"].get<std::string>().find(
                "dags/sub/broken.yml:1:"),
            std::string::npos);
  std::filesystem::remove(dir_ / "dags" / "sub" / "broken.yml");
  EXPECT_EQ(Json("dags list --json").size(), 1u);
}

}  // namespace
}  // namespace sluice::testing
