#include "ops_routes.hpp"

#include <dirent.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "milkyhoop/core/log.hpp"
#include "milkyhoop/http/json.hpp"
#include "milkyhoop/http/openapi.hpp"
#include "milkyhoop/http/problem.hpp"

namespace milkyhoop::app {
namespace {

using nlohmann::json;

constexpr const char* kStatusSchema = R"({
  "type": "object", "required": ["status", "version", "services"],
  "properties": {
    "status": {"type": "string", "const": "MilkyHoop API Gateway is running!"},
    "version": {"type": "string"},
    "services": {"type": "object", "additionalProperties": {"type": "string", "enum": ["up", "down", "degraded"]}}
  }})";

constexpr const char* kDocsHtml = R"(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>MilkyHoop API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
)";

// Kept out of the page so the CSP can forbid inline scripts.
constexpr const char* kDocsInit =
    "window.ui = SwaggerUIBundle({url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: "
    "true});\n";

constexpr const char* kDocsCsp =
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
    "data:; connect-src 'self'; frame-ancestors 'none'";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ContentTypeFor(const std::string& name) {
  auto ends = [&](std::string_view s) { return name.ends_with(s); };
  if (ends(".js")) return "application/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".png")) return "image/png";
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".map")) return "application/json";
  return "application/octet-stream";
}

http::Route Make(std::string method, std::string path, std::string summary, http::Handler h,
                 http::Execution execution = http::Execution::kInline) {
  http::Route r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.summary = std::move(summary);
  r.tag = "Operations";
  r.rate_class = http::RateClass::kNone;
  r.execution = execution;
  r.handler = std::move(h);
  return r;
}

}  // namespace

OpsRoutes::OpsRoutes(health::HealthService& health, metrics::Registry& metrics, std::string version,
                     std::string docs_dir)
    : health_(health),
      metrics_(metrics),
      version_(std::move(version)),
      docs_dir_(std::move(docs_dir)) {
  LoadDocs();
}

void OpsRoutes::LoadDocs() {
  static constexpr const char* kAssets[] = {"swagger-ui.css", "swagger-ui-bundle.js",
                                            "favicon-32x32.png", "favicon-16x16.png"};
  for (const char* name : kAssets) {
    std::string path = docs_dir_ + "/" + name;
    if (::access(path.c_str(), R_OK) != 0) continue;
    docs_files_[name] = {ContentTypeFor(name), ReadFile(path)};
  }
  docs_files_["init.js"] = {ContentTypeFor("init.js"), kDocsInit};
  if (!docs_files_.contains("swagger-ui-bundle.js")) {
    MH_LOG_WARN("Swagger UI assets not found; /docs will answer 503", {"docs_dir", docs_dir_});
  }
}

Status OpsRoutes::Register(http::Router& router) {
  router_ = &router;
  using http::Request;
  auto st = Make(
      "GET", "/status", "Gateway status, version and the state of each service",
      [this](Request& r) { return StatusPage(r); }, http::Execution::kBlocking);
  st.responses = {{200, "The gateway is running", kStatusSchema}};
  MH_TRY(router.Add(std::move(st)));

  auto hz = Make("GET", "/healthz", "Liveness: 200 while the process lives",
                 [](Request&) { return http::Response::Json(200, R"({"status":"ok"})"); });
  hz.responses = {{200, "Alive", R"({"type":"object","properties":{"status":{"type":"string"}}})"}};
  MH_TRY(router.Add(std::move(hz)));

  auto rz = Make(
      "GET", "/readyz", "Readiness: 200 when every dependency answers, else 503",
      [this](Request& r) { return Ready(r); }, http::Execution::kBlocking);
  rz.responses = {{200, "Ready", R"({"type":"object"})"},
                  {503, "A dependency failed", R"({"type":"object"})", "application/problem+json"}};
  MH_TRY(router.Add(std::move(rz)));

  auto mx = Make("GET", "/metrics", "Prometheus metrics", [this](Request&) {
    return http::Response::Text(200, metrics_.Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  mx.responses = {{200, "Prometheus text format", R"({"type":"string"})", "text/plain"}};
  MH_TRY(router.Add(std::move(mx)));

  auto oa = Make("GET", "/openapi.json", "The OpenAPI 3.1 document of every route",
                 [this](Request& r) { return OpenApi(r); });
  oa.responses = {{200, "OpenAPI document", R"({"type":"object"})"}};
  MH_TRY(router.Add(std::move(oa)));

  auto docs = Make("GET", "/docs", "Swagger UI", [this](Request& r) { return DocsPage(r); });
  docs.responses = {{200, "HTML page", R"({"type":"string"})", "text/html"}};
  MH_TRY(router.Add(std::move(docs)));

  auto asset = Make("GET", "/docs/{file}", "Swagger UI static files",
                    [this](Request& r) { return DocsAsset(r); });
  asset.responses = {{200, "A static file", R"({"type":"string"})", "application/octet-stream"}};
  MH_TRY(router.Add(std::move(asset)));
  return Status::Ok();
}

http::Response OpsRoutes::StatusPage(http::Request&) {
  json services = json::object();
  services["gateway"] = draining_.load() ? "down" : "up";
  auto states = health_.GetStates({});
  if (states.ok()) {
    for (const auto& s : states->services()) services[s.name()] = s.state();
  } else {
    services["health"] = "down";
  }
  return http::JsonResponse(
      200, json{{"status", kStatusMessage}, {"version", version_}, {"services", services}});
}

http::Response OpsRoutes::Ready(http::Request&) {
  if (draining_.load()) {
    return http::Problem(503, http::code::kUnavailable, "shutting down");
  }
  auto states = health_.GetStates({});
  if (!states.ok()) return http::ProblemFromStatus(states.status());
  json checks = json::object();
  std::string failed;
  for (const auto& s : states->services()) {
    checks[s.name()] = s.state();
    if (s.state() != "up") {
      if (!failed.empty()) failed += ", ";
      failed += s.name() + (s.detail().empty() ? "" : " (" + s.detail() + ")");
    }
  }
  if (!failed.empty()) {
    return http::Problem(503, http::code::kUnavailable, "not ready: " + failed);
  }
  return http::JsonResponse(200, json{{"status", "ready"}, {"checks", checks}});
}

http::Response OpsRoutes::OpenApi(http::Request&) {
  std::call_once(openapi_once_, [this] {
    auto doc = http::BuildOpenApi(
        *router_, {"MilkyHoop API", version_,
                   "Backend for AI customer-service chatbots of small businesses."});
    openapi_ = doc.ok() ? std::move(doc).value() : std::string();
    if (!doc.ok()) MH_LOG_ERROR("openapi generation failed", {"error", doc.status().ToString()});
  });
  if (openapi_.empty())
    return http::Problem(500, http::code::kInternal, "OpenAPI generation failed");
  http::Response r = http::Response::Json(200, openapi_);
  r.SetHeader("Cache-Control", "no-cache");
  return r;
}

http::Response OpsRoutes::DocsPage(http::Request&) {
  if (!docs_files_.contains("swagger-ui-bundle.js")) {
    return http::Problem(503, http::code::kUnavailable,
                         "Swagger UI assets are not installed (see http.docs_dir)");
  }
  http::Response r = http::Response::Text(200, kDocsHtml, "text/html; charset=utf-8");
  r.SetHeader("Content-Security-Policy", kDocsCsp);
  r.SetHeader("Cache-Control", "no-cache");
  return r;
}

http::Response OpsRoutes::DocsAsset(http::Request& req) {
  auto it = docs_files_.find(req.Param("file"));
  if (it == docs_files_.end()) return http::Problem(404, http::code::kNotFound, "no such file");
  http::Response r = http::Response::Text(200, it->second.second, it->second.first);
  r.SetHeader("Cache-Control", "public, max-age=3600");
  r.SetHeader("Content-Security-Policy", kDocsCsp);
  return r;
}

void RegisterProcessMetrics(metrics::Registry& registry) {
  static const long kPage = ::sysconf(_SC_PAGESIZE);
  static const long kTicks = ::sysconf(_SC_CLK_TCK);
  registry.AddCallbackGauge("process_resident_memory_bytes", "Resident memory size in bytes.", [] {
    std::ifstream in("/proc/self/statm");
    long size = 0, resident = 0;
    in >> size >> resident;
    return static_cast<double>(resident) * static_cast<double>(kPage);
  });
  registry.AddCallbackGauge("process_open_fds", "Open file descriptors.", [] {
    double n = 0;
    if (DIR* d = ::opendir("/proc/self/fd")) {
      while (::readdir(d)) ++n;
      ::closedir(d);
      n -= 3;  // ".", ".." and the directory's own descriptor
    }
    return n;
  });
  registry.AddCallbackGauge("process_cpu_seconds_total", "User and system CPU time.", [] {
    std::ifstream in("/proc/self/stat");
    std::string line;
    std::getline(in, line);
    auto close = line.rfind(')');
    std::istringstream rest(close == std::string::npos ? "" : line.substr(close + 2));
    std::string field;
    double utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
      if (i == 14) utime = std::stod(field);
      if (i == 15) stime = std::stod(field);
    }
    return (utime + stime) / static_cast<double>(kTicks);
  });
  const double start =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  registry.AddCallbackGauge("process_start_time_seconds", "Start time, Unix seconds.",
                            [start] { return start; });
}

}  // namespace milkyhoop::app
