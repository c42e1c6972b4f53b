#include "oidc_client.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::auth {
namespace {

TEST(OidcClient, OnlyHttpsOrLoopbackIssuers) {
  EXPECT_TRUE(IsLoopbackHttp("http://127.0.0.1:4000"));
  EXPECT_TRUE(IsLoopbackHttp("http://localhost:4000/x"));
  EXPECT_TRUE(IsLoopbackHttp("http://[::1]:4000"));
  EXPECT_FALSE(IsLoopbackHttp("http://accounts.google.com"));
  EXPECT_FALSE(IsLoopbackHttp("https://127.0.0.1"));
  SystemClock clock;
  OidcConfig c;
  c.client_id = "id";
  c.client_secret = "secret";
  c.issuer = "http://accounts.example.com";
  EXPECT_EQ(OidcClient::Create(c, clock).status().code(), StatusCode::kInvalidArgument);
  c.issuer = "https://accounts.example.com";
  EXPECT_TRUE(OidcClient::Create(c, clock).ok());
  c.client_secret.clear();
  auto missing = OidcClient::Create(c, clock);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().field_errors()[0].field, "oidc.client_secret");
}

}  // namespace
}  // namespace milkyhoop::auth
