// ApiService without a socket: requests handed straight to Handle, on a real (temporary)
// state database. The end-to-end tests over HTTP are in tests/api_test.cc.
#include "scheduler/api/api_service.h"

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace sluice {
namespace {

namespace fs = std::filesystem;

class ApiServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sluice-api-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto store = OpenSqliteStateStore((dir_ / "sluice.db").string());  // creates the schema
    ASSERT_TRUE(store.ok()) << store.message();
  }
  void TearDown() override { fs::remove_all(dir_); }

  ApiService Service(std::string token = "t0ken") {
    ApiSettings settings;
    settings.database_path = (dir_ / "sluice.db").string();
    settings.token = std::move(token);
    settings.board = &board_;
    settings.state_changed = [this] { ++changes_; };
    return ApiService(std::move(settings));
  }

  static HttpRequest Request(std::string method, std::string path, std::string token = "") {
    HttpRequest r;
    r.method = std::move(method);
    r.path = std::move(path);
    if (!token.empty()) r.headers["authorization"] = "Bearer " + token;
    return r;
  }

  fs::path dir_;
  DagBoard board_;
  int changes_ = 0;
};

// Every path and method docs/openapi.yaml lists is routed: the document and the code agree.
TEST_F(ApiServiceTest, EveryEndpointOfTheOpenApiDocumentIsRouted) {
  ApiService api = Service();
  const YAML::Node doc = YAML::LoadFile(std::string(SLUICE_SOURCE_DIR) + "/docs/openapi.yaml");
  int checked = 0;
  for (const auto& path : doc["paths"]) {
    std::string concrete = path.first.as<std::string>();
    for (size_t open; (open = concrete.find('{')) != std::string::npos;) {
      concrete.replace(open, concrete.find('}', open) - open + 1, "1");
    }
    for (const auto& operation : path.second) {
      std::string method = operation.first.as<std::string>();
      for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (concrete == "/api/v1/events") continue;  // a stream that waits for changes
      HttpResponse response = api.Handle(Request(method, concrete, "t0ken"));
      const std::string body = response.body;
      SCOPED_TRACE(method + " " + concrete + " -> " + std::to_string(response.status) + " " + body);
      EXPECT_NE(response.status, 405);
      EXPECT_EQ(body.find("no API endpoint"), std::string::npos);
      ++checked;
    }
  }
  EXPECT_GE(checked, 14);
}

TEST_F(ApiServiceTest, AMutationNeedsTheExactTokenAndOnlyAnAcceptedOneWakesTheScheduler) {
  ApiService api = Service();
  for (const std::string token : {"", "t0ke", "t0kenX", "T0KEN", "x0ken"}) {
    HttpResponse response = api.Handle(Request("POST", "/api/v1/dags/d/pause", token));
    EXPECT_EQ(response.status, 401) << "token '" << token << "'";
  }
  EXPECT_EQ(changes_, 0);
  // Unknown DAG: refused after the token check, and nothing to wake the scheduler for.
  EXPECT_EQ(api.Handle(Request("POST", "/api/v1/dags/d/pause", "t0ken")).status, 404);
  EXPECT_EQ(changes_, 0);
}

TEST_F(ApiServiceTest, WithoutATokenConfiguredEveryMutationIsRefused) {
  ApiService api = Service("");
  HttpResponse response = api.Handle(Request("POST", "/api/v1/dags/d/pause", "anything"));
  EXPECT_EQ(response.status, 403) << response.body;
  EXPECT_EQ(api.Handle(Request("GET", "/api/v1/dags")).status, 200) << "reading needs no token";
}

TEST_F(ApiServiceTest, TheUiIsServedForEveryOtherGetAndItsHashedFilesAreCachedForever) {
  ApiSettings settings;
  settings.database_path = (dir_ / "sluice.db").string();
  settings.board = &board_;
  settings.find_static_file = [](std::string_view path) -> std::optional<StaticFile> {
    if (path == "/index.html") return StaticFile{"<html>ui</html>", "text/html", false};
    if (path == "/assets/app-1a2b.js") return StaticFile{"js()", "text/javascript", true};
    return std::nullopt;
  };
  ApiService api(std::move(settings));
  HttpResponse index = api.Handle(Request("GET", "/runs/r1/tasks/t/attempts/1/log"));
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<html>ui</html>") << "client-side routes get index.html";
  HttpResponse script = api.Handle(Request("GET", "/assets/app-1a2b.js"));
  EXPECT_EQ(script.body, "js()");
  EXPECT_EQ(script.content_type, "text/javascript");
  bool immutable = false;
  for (const auto& [name, value] : script.headers) {
    immutable |= name == "Cache-Control" && value.find("immutable") != std::string::npos;
  }
  EXPECT_TRUE(immutable);
  EXPECT_EQ(api.Handle(Request("POST", "/")).status, 405);
  EXPECT_EQ(api.Handle(Request("GET", "/api/v1/unknown")).status, 404)
      << "an unknown API path is a JSON 404, not the UI";
}

TEST_F(ApiServiceTest, HeadIsAnsweredAsGet) {
  ApiService api = Service();
  EXPECT_EQ(api.Handle(Request("HEAD", "/api/v1/dags")).status, 200);
  EXPECT_EQ(api.Handle(Request("HEAD", "/api/v1/runs/nope")).status, 404);
}

TEST_F(ApiServiceTest, AfterShutdownRequestsAre503) {
  ApiService api = Service();
  api.Shutdown();
  EXPECT_EQ(api.Handle(Request("GET", "/api/v1/dags")).status, 503);
}

}  // namespace
}  // namespace sluice
