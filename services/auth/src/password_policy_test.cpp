#include "password_policy.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::auth {
namespace {

std::string FieldMessage(const Status& s) {
  return s.field_errors().empty() ? ""
                                  : s.field_errors()[0].field + ": " + s.field_errors()[0].message;
}

TEST(PasswordPolicy, ShipsAListOfSeveralHundred) {
  EXPECT_GE(CommonPasswordCount(), 400u);
  EXPECT_TRUE(IsCommonPassword("password"));
  EXPECT_TRUE(IsCommonPassword("P@ssw0rd"));
  EXPECT_TRUE(IsCommonPassword("QWERTY123"));
  EXPECT_FALSE(IsCommonPassword("kopi susu gula aren 2025"));
}

TEST(PasswordPolicy, Rules) {
  EXPECT_TRUE(CheckPasswordPolicy("kopi susu gula aren", "ana@example.com").ok());
  EXPECT_EQ(FieldMessage(CheckPasswordPolicy("short", "ana@example.com")),
            "password: must be at least 8 characters");
  // Characters, not bytes: eight two-byte letters are enough, 129 are too many.
  EXPECT_TRUE(CheckPasswordPolicy("ééééééé1", "ana@example.com").ok());
  std::string long_utf8;
  for (int i = 0; i < 129; ++i) long_utf8 += "é";
  EXPECT_EQ(FieldMessage(CheckPasswordPolicy(long_utf8, "ana@example.com")),
            "password: must be at most 128 characters");
  EXPECT_FALSE(CheckPasswordPolicy("budi.santoso", "budi.santoso@example.com").ok());
  EXPECT_FALSE(CheckPasswordPolicy("xxBUDI.SANTOSOxx", "budi.santoso@example.com").ok());
  // A very short local part is not a rule of its own.
  EXPECT_TRUE(CheckPasswordPolicy("kopi susu ab", "ab@example.com").ok());
  EXPECT_FALSE(CheckPasswordPolicy("iloveyou", "x@example.com").ok());
}

}  // namespace
}  // namespace milkyhoop::auth
