// HttpServer on loopback in this process, asked by cpp-httplib's client.
#include "runtime/http_server.h"

#include <zlib.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

#include <gtest/gtest.h>
#include <httplib.h>

namespace sluice {
namespace {

std::string Gunzip(const std::string& zipped) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out;
  char buffer[1 << 16];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zipped.data()));
  z.avail_in = static_cast<uInt>(zipped.size());
  int result = Z_OK;
  while (result == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    result = inflate(&z, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - z.avail_out);
  }
  EXPECT_EQ(result, Z_STREAM_END);
  inflateEnd(&z);
  return out;
}

// A JSON array of `n` small objects: the shape (and size) of the API's DAG list.
std::string BigJson(int n) {
  std::string s = "[";
  for (int i = 0; i < n; ++i) {
    s += (i ? "," : "") + std::string(R"({"run_id":"20261207T2359)") + std::to_string(i) +
         R"(","state":"success","started_at":"2026-12-07T23:59:34.158599Z"})";
  }
  return s + "]";
}

class HttpServerTest : public ::testing::Test {
 protected:
  void Serve(HttpHandler handler) {
    HttpServerOptions options;
    options.port = 0;
    Result<std::unique_ptr<HttpServer>> started = HttpServer::Start(options, std::move(handler));
    ASSERT_TRUE(started.ok()) << started.message();
    server_ = std::move(started).value();
  }
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, AnswersAreGzippedQuicklyEvenWhenTheClientPrefersBrotli) {
  const std::string body = BigJson(20000);  // about 1.8 MB
  Serve([&](const HttpRequest&) {
    HttpResponse r;
    r.body = body;
    return r;
  });
  httplib::Client client("127.0.0.1", server_->port());
  client.set_decompress(false);
  const auto start = std::chrono::steady_clock::now();
  auto result = client.Get("/api/v1/dags", {{"Accept-Encoding", "gzip, deflate, br, zstd"}});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->get_header_value("Content-Encoding"), "gzip");
  EXPECT_LT(result->body.size(), body.size() / 4);
  EXPECT_EQ(Gunzip(result->body), body);
  // Brotli at quality 11 took about 6 s for 2 MB here; gzip takes milliseconds.
  EXPECT_LT(seconds, 2.0);

  auto plain = client.Get("/api/v1/dags");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->get_header_value("Content-Encoding"), "");
  EXPECT_EQ(plain->body, body);
}

TEST_F(HttpServerTest, StreamsAreNeverCompressedAndArriveInPieces) {
  // The first piece must reach the client before the server writes the last one: compared by
  // cause, not by a guessed spread of arrival times, so a loaded machine cannot fail it.
  auto last_written_at = std::make_shared<std::atomic<std::chrono::steady_clock::rep>>(0);
  Serve([last_written_at](const HttpRequest&) {
    HttpResponse r;
    r.content_type = "text/plain";
    auto sent = std::make_shared<int>(0);
    r.stream = [sent, last_written_at](const HttpStreamWriter& write) {
      if (*sent == 3) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      if (*sent == 2) *last_written_at = std::chrono::steady_clock::now().time_since_epoch().count();
      return write("piece " + std::to_string((*sent)++) + "\n");
    };
    return r;
  });
  httplib::Client client("127.0.0.1", server_->port());
  client.set_decompress(false);
  std::optional<std::chrono::steady_clock::rep> first_arrival;
  std::string got;
  auto result = client.Get("/", {{"Accept-Encoding", "gzip, br"}}, [&](const char* d, size_t n) {
    got.append(d, n);
    if (!first_arrival) first_arrival = std::chrono::steady_clock::now().time_since_epoch().count();
    return true;
  });
  ASSERT_TRUE(result);
  EXPECT_EQ(result->get_header_value("Content-Encoding"), "");
  EXPECT_EQ(got, "piece 0\npiece 1\npiece 2\n");
  ASSERT_TRUE(first_arrival);
  EXPECT_LT(*first_arrival, last_written_at->load()) << "the pieces were held back and sent at once";
}

TEST_F(HttpServerTest, APostWithoutContentLengthReachesTheHandlerWithAnEmptyBody) {
  std::string seen_method = "none";
  Serve([&](const HttpRequest& request) {
    seen_method = request.method + ":" + request.body;
    HttpResponse r;
    r.body = "{}";
    return r;
  });
  httplib::Client client("127.0.0.1", server_->port());
  httplib::Request request;
  request.method = "POST";
  request.path = "/api/v1/dags/d/pause";
  auto result = client.send(request);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(seen_method, "POST:");
}

TEST(ParseListenAddressTest, AcceptsHostPortAndExplainsWhatIsWrong) {
  auto v4 = ParseListenAddress("127.0.0.1:8080");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->first, "127.0.0.1");
  EXPECT_EQ(v4->second, 8080);
  auto v6 = ParseListenAddress("[::1]:0");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->first, "::1");
  EXPECT_EQ(v6->second, 0);
  auto any = ParseListenAddress(":9000");
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any->first, "0.0.0.0");
  for (const char* bad : {"8080", "localhost:", "host:http", "h:70000", "h:-1"}) {
    auto parsed = ParseListenAddress(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    EXPECT_NE(parsed.message().find("HOST:PORT"), std::string::npos) << parsed.message();
  }
}

TEST(HttpServerStartTest, APortInUseIsAnErrorNamingTheAddress) {
  HttpServerOptions options;
  options.port = 0;
  auto first = HttpServer::Start(options, [](const HttpRequest&) { return HttpResponse(); });
  ASSERT_TRUE(first.ok());
  options.port = (*first)->port();
  auto second = HttpServer::Start(options, [](const HttpRequest&) { return HttpResponse(); });
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.message().find("127.0.0.1:" + std::to_string(options.port)), std::string::npos)
      << second.message();
}

}  // namespace
}  // namespace sluice
