#include "email.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::auth {
namespace {

TEST(NormalizeEmail, TrimsAndLowerCases) {
  auto e = NormalizeEmail("  Siti.Nur+shop@Warung-Kopi.CO.id \t");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(*e, "siti.nur+shop@warung-kopi.co.id");
  EXPECT_EQ(EmailLocalPart(*e), "siti.nur+shop");
}

TEST(NormalizeEmail, RefusesMalformedAddresses) {
  for (const char* bad : {"", "   ", "plain", "@example.com", "a@", "a@b", "a@@b.com", "a b@c.com",
                          ".a@b.com", "a.@b.com", "a..b@c.com", "a@-b.com", "a@b-.com", "a@b..com",
                          "a@1.2.3.4", "a@[1.2.3.4]", "\"q\"@b.com", "a@b_c.com"}) {
    auto e = NormalizeEmail(bad);
    ASSERT_FALSE(e.ok()) << bad;
    ASSERT_EQ(e.status().field_errors().size(), 1u);
    EXPECT_EQ(e.status().field_errors()[0].field, "email");
  }
  EXPECT_FALSE(NormalizeEmail(std::string(65, 'a') + "@b.com").ok());
  EXPECT_FALSE(NormalizeEmail("a@" + std::string(250, 'b') + ".com").ok());
}

}  // namespace
}  // namespace milkyhoop::auth
