#include "milkyhoop/org/validation.hpp"

#include <gtest/gtest.h>

#include <string>

namespace milkyhoop::org {
namespace {

void ExpectField(const Status& s, const std::string& field) {
  ASSERT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  ASSERT_EQ(s.field_errors().size(), 1u);
  EXPECT_EQ(s.field_errors()[0].field, field);
}

TEST(ValidationTest, NamesAreTrimmedAndCountedInCharacters) {
  EXPECT_EQ(*ValidateName("name", "  Warung Bu Sri \t"), "Warung Bu Sri");
  EXPECT_TRUE(ValidateName("name", std::string(100, 'a')).ok());
  ExpectField(ValidateName("name", std::string(101, 'a')).status(), "name");
  // 100 two-byte characters are 100 characters, not 200.
  std::string umlauts;
  for (int i = 0; i < 100; ++i) umlauts += "\xC3\xA9";
  EXPECT_TRUE(ValidateName("name", umlauts).ok());
  ExpectField(ValidateName("name", "").status(), "name");
  ExpectField(ValidateName("name", "   ").status(), "name");
  ExpectField(ValidateName("label", "a\x01b").status(), "label");
  ExpectField(ValidateName("name", "bad \xC3").status(), "name");      // truncated sequence
  ExpectField(ValidateName("name", "\xC0\xAF").status(), "name");      // overlong
  ExpectField(ValidateName("name", "\xED\xA0\x80").status(), "name");  // surrogate
}

TEST(ValidationTest, EmailsAreNormalisedAndChecked) {
  EXPECT_EQ(*ValidateEmail("email", "  Sri@Warung.CO.id "), "sri@warung.co.id");
  EXPECT_EQ(*ValidateEmail("email", "a.b+tag@x-y.example"), "a.b+tag@x-y.example");
  for (const char* bad :
       {"", "plain", "@x.com", "a@", "a@b", "a@@b.com", "a b@c.com", "a@-b.com", "a@b-.com",
        "a@b..com", "a@.com", "a@b.com.", "a@b_c.com", "a<b>@c.com"}) {
    SCOPED_TRACE(bad);
    ExpectField(ValidateEmail("email", bad).status(), "email");
  }
  ExpectField(ValidateEmail("email", std::string(65, 'a') + "@b.com").status(), "email");
  ExpectField(ValidateEmail("email", "a@" + std::string(250, 'b') + ".com").status(), "email");
}

TEST(ValidationTest, Roles) {
  for (const char* ok : {"owner", "admin", "member", "viewer"}) {
    EXPECT_TRUE(ValidateRole("role", ok).ok()) << ok;
  }
  ExpectField(ValidateRole("role", "Admin"), "role");
  ExpectField(ValidateRole("role", ""), "role");
}

TEST(ValidationTest, ScopesAreKnownDeduplicatedAndBounded) {
  auto scopes = ValidateScopes("scopes", {"org:read", "business:read", "org:read"});
  ASSERT_TRUE(scopes.ok());
  EXPECT_EQ(*scopes, (std::vector<std::string>{"org:read", "business:read"}));
  ExpectField(ValidateScopes("scopes", {}).status(), "scopes");
  ExpectField(ValidateScopes("scopes", {"org:read", "root"}).status(), "scopes");
  ExpectField(ValidateScopes("scopes", std::vector<std::string>(33, "org:read")).status(),
              "scopes");
}

TEST(ValidationTest, BusinessIdsAndPageSizes) {
  EXPECT_TRUE(ValidateBusinessId("business_id", "").ok());
  EXPECT_TRUE(ValidateBusinessId("business_id", "biz_01HX-y").ok());
  ExpectField(ValidateBusinessId("business_id", "biz 1"), "business_id");
  ExpectField(ValidateBusinessId("business_id", std::string(65, 'b')), "business_id");
  EXPECT_EQ(*ValidatePageSize("limit", 0), kDefaultPageSize);
  EXPECT_EQ(*ValidatePageSize("limit", 1), 1);
  EXPECT_EQ(*ValidatePageSize("limit", 200), 200);
  ExpectField(ValidatePageSize("limit", 201).status(), "limit");
  ExpectField(ValidatePageSize("limit", -1).status(), "limit");
}

}  // namespace
}  // namespace milkyhoop::org
