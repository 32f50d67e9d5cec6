// How a test finds a database server that ctest started for it (tests/servers/CMakeLists.txt).
//
//   #include "tests/servers/test_servers.h"
//   const sluice::testing::ServerEndpoint db = sluice::testing::RequireServer("mariadb");
//   if (db.missing()) GTEST_FAIL() << db.problem;
#ifndef SLUICE_TESTS_SERVERS_TEST_SERVERS_H_
#define SLUICE_TESTS_SERVERS_TEST_SERVERS_H_

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace sluice::testing {

/// The endpoint.json a server's start script writes: TCP on 127.0.0.1 plus a Unix socket,
/// a database, and a non-root user with a password.
struct ServerEndpoint {
  std::string host;
  int port = 0;
  std::string socket;
  std::string user;
  std::string password;
  std::string database;
  std::string problem;  // why the endpoint is unavailable; empty when it is usable

  bool missing() const { return !problem.empty(); }
};

inline ServerEndpoint RequireServer(const std::string& name) {
  ServerEndpoint endpoint;
  const char* dir = std::getenv("SLUICE_TEST_SERVERS_DIR");
  if (dir == nullptr || *dir == '\0') {
    endpoint.problem = "SLUICE_TEST_SERVERS_DIR is not set: run this test through ctest, which "
                       "starts the " + name + " server (fixture server_" + name + "_start)";
    return endpoint;
  }
  const std::filesystem::path file = std::filesystem::path(dir) / name / "endpoint.json";
  std::ifstream in(file);
  if (!in) {
    endpoint.problem = "no " + file.string() + ": the " + name +
                       " server was not started; run `ctest -R server_" + name +
                       "_start` first, or run the test through ctest";
    return endpoint;
  }
  try {
    const nlohmann::json j = nlohmann::json::parse(in);
    endpoint.host = j.at("host");
    endpoint.port = j.at("port");
    endpoint.socket = j.value("socket", std::string());
    endpoint.user = j.at("user");
    endpoint.password = j.at("password");
    endpoint.database = j.at("database");
  } catch (const std::exception& e) {
    endpoint.problem = file.string() + " is not a valid endpoint file: " + e.what();
  }
  return endpoint;
}

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_SERVERS_TEST_SERVERS_H_
