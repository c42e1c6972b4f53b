#include "index_normalizer.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::security {
namespace {

TEST(IndexNormalizerTest, IndonesianPhoneFormsAllBecomeOneValue) {
  for (const char* phone : {"081234567890", "0812-3456-7890", "+62 812 3456 7890", "6281234567890",
                            "+62 (812) 3456.7890", "006281234567890", "  081234567890\n"}) {
    Result<std::string> normalized = NormalizePhone(phone);
    ASSERT_TRUE(normalized.ok()) << phone << ": " << normalized.status().ToString();
    EXPECT_EQ(*normalized, "6281234567890") << phone;
  }
  EXPECT_EQ(*NormalizePhone("+1 650 253 0000"), "16502530000");
}

TEST(IndexNormalizerTest, NonPhonesAreRejectedOnValue) {
  for (const char* bad : {"", "+", "12345", "0812345678901234567", "0812abc4567", "++6281234567",
                          "62+81234567", "+0812345678", "🙂"}) {
    Result<std::string> normalized = NormalizePhone(bad);
    EXPECT_EQ(normalized.status().code(), StatusCode::kInvalidArgument) << bad;
    if (!normalized.ok()) {
      EXPECT_EQ(normalized.status().field_errors().at(0).field, "value");
    }
  }
}

TEST(IndexNormalizerTest, EmailsAreTrimmedAndLowerCased) {
  EXPECT_EQ(*NormalizeEmail("  Owner.Name@Warung.Test \n"), "owner.name@warung.test");
  EXPECT_EQ(*NormalizeEmail("budi+toko@contoh.co.id"), "budi+toko@contoh.co.id");
  // Non-ASCII letters are kept as they are (no Unicode case folding).
  EXPECT_EQ(*NormalizeEmail("ÄBC@x.test"), "Äbc@x.test");
}

TEST(IndexNormalizerTest, NonEmailsAreRejectedOnValue) {
  for (const char* bad :
       {"", "owner", "@warung.test", "owner@", "a@b@c", "a b@c.test", "a\t@c.test"}) {
    Result<std::string> normalized = NormalizeEmail(bad);
    EXPECT_EQ(normalized.status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace milkyhoop::security
