#include "milkyhoop/core/text_validation.hpp"

#include <gtest/gtest.h>

namespace milkyhoop {
namespace {

TEST(TextValidationTest, CountsCodePointsOfValidTextOnly) {
  EXPECT_EQ(CountTextCodePoints("kopi", false), 4);
  EXPECT_EQ(CountTextCodePoints("caf\xC3\xA9 \xF0\x9F\x98\x80", false), 6);  // é and an emoji
  EXPECT_EQ(CountTextCodePoints("a\nb", false), -1) << "newline only when multiline";
  EXPECT_EQ(CountTextCodePoints("a\nb", true), 3);
  EXPECT_EQ(CountTextCodePoints("\xC3", true), -1) << "truncated sequence";
  EXPECT_EQ(CountTextCodePoints("\xC0\xAF", true), -1) << "overlong";
  EXPECT_EQ(CountTextCodePoints("\xED\xA0\x80", true), -1) << "surrogate";
}

TEST(TextValidationTest, FirstCodePointsNeverCutsOneInTwo) {
  const std::string text = "caf\xC3\xA9\xF0\x9F\x98\x80!";  // c a f é 😀 !
  EXPECT_EQ(FirstCodePoints(text, 3), "caf");
  EXPECT_EQ(FirstCodePoints(text, 4), "caf\xC3\xA9");
  EXPECT_EQ(FirstCodePoints(text, 5), "caf\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(FirstCodePoints(text, 6), text);
  EXPECT_EQ(FirstCodePoints(text, 100), text);
  EXPECT_EQ(FirstCodePoints(text, 0), "");
}

TEST(TextValidationTest, ValidateTextTrimsAndNamesTheField) {
  auto ok = ValidateText("name", "  Warung  ", 10, /*required=*/true);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, "Warung");
  auto long_text = ValidateText("name", std::string(11, 'x'), 10, true);
  ASSERT_FALSE(long_text.ok());
  EXPECT_EQ(long_text.status().code(), StatusCode::kInvalidArgument);
  ASSERT_FALSE(long_text.status().field_errors().empty());
  EXPECT_EQ(long_text.status().field_errors()[0].field, "name");
  EXPECT_FALSE(ValidateText("name", "   ", 10, /*required=*/true).ok());
  EXPECT_TRUE(ValidateText("name", "", 10, /*required=*/false).ok());
}

}  // namespace
}  // namespace milkyhoop
