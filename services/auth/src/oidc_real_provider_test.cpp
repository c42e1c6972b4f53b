// OIDC sign-in against a real provider: npm oidc-provider (tests/e2e/oidc/provider.mjs), started
// here on 127.0.0.1:0, with its development login and consent pages played by an HTTP client.
// Skipped when node or node_modules/oidc-provider is missing (scripts/setup.sh installs them).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <string_view>

#include <nlohmann/json.hpp>

#include "milkyhoop/httpclient/http_client.hpp"
#include "testing/auth_fixture.hpp"

extern char** environ;

namespace milkyhoop::auth {
namespace {

namespace fs = std::filesystem;
constexpr char kRedirect[] = "http://127.0.0.1:5173/auth/callback";
constexpr char kSecret[] = "real-provider-test-secret-0123";

fs::path RepoRoot() { return fs::path(MH_REPO_ROOT); }

std::string FindNode() {
  for (const char* dir : {"/usr/bin", "/usr/local/bin"}) {
    if (fs::exists(fs::path(dir) / "node")) return (fs::path(dir) / "node").string();
  }
  return "";
}

// The provider process: started with its stdout on a pipe, killed at the end.
class ProviderProcess {
 public:
  ProviderProcess(const std::string& node, const fs::path& root) {
    int out[2];
    if (pipe(out) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<std::string> env_strings = {
        "OIDC_CLIENT_ID=milkyhoop-real", std::string("OIDC_CLIENT_SECRET=") + kSecret,
        std::string("OIDC_REDIRECT_URIS=") + kRedirect, "OIDC_ACCOUNT_EMAIL=siti@example.com"};
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    const std::string script = (root / "tests/e2e/oidc/provider.mjs").string();
    std::vector<char*> argv = {const_cast<char*>(node.c_str()), const_cast<char*>(script.c_str()),
                               const_cast<char*>("0"), nullptr};
    // node resolves 'oidc-provider' from the script's directory upwards: the repo's node_modules.
    if (posix_spawn(&pid_, node.c_str(), &actions, nullptr, argv.data(), envp.data()) != 0) {
      pid_ = 0;
    }
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    std::string line;
    char c;
    while (pid_ && read(out[0], &c, 1) == 1 && c != '\n') line += c;
    stdout_ = out[0];  // kept open: the provider writes notices later
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("issuer")) issuer_ = j["issuer"];
  }
  ~ProviderProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    if (stdout_ >= 0) close(stdout_);
  }
  const std::string& issuer() const { return issuer_; }

 private:
  pid_t pid_ = 0;
  int stdout_ = -1;
  std::string issuer_;
};

// A browser, as far as the provider's pages need one: cookies and forms.
class Browser {
 public:
  Browser() : http_(*httpclient::HttpClient::Create()) {}

  // Follows the provider's pages from `url` until it redirects to kRedirect; returns the query.
  std::map<std::string, std::string> ConsentAs(std::string url, const std::string& login) {
    for (int i = 0; i < 20; ++i) {
      auto res = http_.Get(url, Cookies());
      if (!res.ok()) return {};
      Remember(*res);
      if (res->status >= 300 && res->status < 400) {
        url = Resolve(url, std::string(res->Header("Location")));
        if (url.rfind(kRedirect, 0) == 0) return Query(url);
        continue;
      }
      // No std::regex: GCC 12 warns falsely about its internals under sanitizers.
      const std::string prompt = Between(res->body, R"(name="prompt" value=")", "\"");
      const std::string action = Between(res->body, R"(action=")", "\"");
      if (prompt.empty() || action.empty()) return {};
      httpclient::Params form = {{"prompt", prompt}};
      if (prompt == "login") {
        form.emplace_back("login", login);
        form.emplace_back("password", "anything");
      }
      auto posted = http_.PostForm(Resolve(url, action), form, Cookies());
      if (!posted.ok()) return {};
      Remember(*posted);
      url = Resolve(url, std::string(posted->Header("Location")));
    }
    return {};
  }

 private:
  httpclient::Headers Cookies() const {
    std::string cookie;
    for (const auto& [k, v] : cookies_) cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
    return cookie.empty() ? httpclient::Headers{} : httpclient::Headers{{"Cookie", cookie}};
  }
  void Remember(const httpclient::Response& res) {
    for (const auto& [k, v] : res.headers) {
      if (strcasecmp(k.c_str(), "set-cookie") != 0) continue;
      const std::string pair = v.substr(0, v.find(';'));
      const auto eq = pair.find('=');
      cookies_[pair.substr(0, eq)] = pair.substr(eq + 1);
    }
  }
  static std::string Resolve(const std::string& base, const std::string& location) {
    if (location.rfind("http", 0) == 0) return location;
    const auto origin_end = base.find('/', base.find("://") + 3);
    return base.substr(0, origin_end) + location;
  }
  static std::string Between(const std::string& text, std::string_view open,
                             std::string_view close) {
    const auto start = text.find(open);
    if (start == std::string::npos) return "";
    const auto from = start + open.size();
    const auto end = text.find(close, from);
    return end == std::string::npos ? "" : text.substr(from, end - from);
  }
  static std::string Decode(std::string_view value) {
    std::string decoded;
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '%' && i + 2 < value.size()) {
        decoded += static_cast<char>(std::stoi(std::string(value.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        decoded += value[i] == '+' ? ' ' : value[i];
      }
    }
    return decoded;
  }
  static std::map<std::string, std::string> Query(const std::string& url) {
    std::map<std::string, std::string> out;
    std::string_view q = std::string_view(url).substr(url.find('?') + 1);
    while (!q.empty()) {
      const auto amp = q.find('&');
      const std::string_view pair = q.substr(0, amp);
      const auto eq = pair.find('=');
      if (eq != std::string_view::npos)
        out[Decode(pair.substr(0, eq))] = Decode(pair.substr(eq + 1));
      q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    }
    return out;
  }

  httpclient::HttpClient http_;
  std::map<std::string, std::string> cookies_;
};

TEST(OidcRealProvider, SignInThroughLoginAndConsent) {
  const fs::path root = RepoRoot();
  const std::string node = FindNode();
  // scripts/setup.sh installs both; without them this proof would be silently missing.
  ASSERT_FALSE(node.empty())
      << "node not found in /usr/bin or /usr/local/bin (run scripts/setup.sh)";
  ASSERT_TRUE(fs::exists(root / "node_modules" / "oidc-provider"))
      << "node_modules/oidc-provider missing under " << root << " (run scripts/setup.sh)";
  ProviderProcess provider(node, root);
  ASSERT_FALSE(provider.issuer().empty()) << "provider did not start";

  AuthConfig config = testing::TestConfig();
  config.oidc.issuer = provider.issuer();
  config.oidc.client_id = "milkyhoop-real";
  config.oidc.client_secret = kSecret;
  config.oidc.redirect_uris = {kRedirect};
  // The ID token's iat/exp come from the provider's real clock.
  testing::AuthHarness h(testing::Backend::kSqlite, config);
  h.clock.Advance(std::chrono::system_clock::now() - h.clock.Now());

  v1::OidcStartRequest start;
  start.set_redirect_uri(kRedirect);
  auto started = h.service->OidcStart(start);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  Browser browser;
  auto back = browser.ConsentAs(started->authorization_url(), "siti");
  ASSERT_EQ(back["state"], started->state());
  ASSERT_FALSE(back["code"].empty());

  v1::OidcCallbackRequest callback;
  callback.set_code(back["code"]);
  callback.set_state(back["state"]);
  auto signed_in = h.service->OidcCallback(callback);
  ASSERT_TRUE(signed_in.ok()) << signed_in.status().ToString();
  EXPECT_EQ(signed_in->user().email(), "siti@example.com");
  EXPECT_EQ(signed_in->user().name(), "Siti Rahma");
  EXPECT_FALSE(signed_in->user().has_password());

  // A code is good once, and so is a state.
  EXPECT_EQ(h.service->OidcCallback(callback).status().code(), StatusCode::kInvalidArgument);
  auto again = h.service->OidcStart(start);
  ASSERT_TRUE(again.ok());
  Browser fresh;  // the first browser is signed in at the provider as siti
  auto unverified = fresh.ConsentAs(again->authorization_url(), "unverified");
  callback.set_code(unverified["code"]);
  callback.set_state(unverified["state"]);
  EXPECT_EQ(h.service->OidcCallback(callback).status().code(), StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace milkyhoop::auth
