#include "request_validation.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace milkyhoop::security {
namespace {

std::vector<std::string> Fields(const Status& status) {
  std::vector<std::string> out;
  for (const FieldError& e : status.field_errors()) out.push_back(e.field);
  return out;
}

TEST(RequestValidationTest, ReportsEveryBadFieldAtOnce) {
  v1::EncryptRequest request;
  request.set_plaintext(std::string(64 * 1024 + 1, 'x'));
  const Status status = ValidateEncrypt(request);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(status), (std::vector<std::string>{"plaintext", "context"}));
  EXPECT_EQ(status.message(), "plaintext: is larger than 65536 bytes; context: is required");
}

TEST(RequestValidationTest, Utf8IsCheckedStrictly) {
  v1::DecryptRequest request;
  request.set_sealed("v1.x.y.z.w");
  for (const std::string& good :
       {std::string("ctx"), std::string("konteks é ✓ 🙂"), std::string("\x7f")}) {
    request.set_context(good);
    EXPECT_TRUE(CheckUtf8Fields(request).ok()) << good;
  }
  for (const std::string& bad :
       {std::string("\xff"), std::string("\xc0\xaf"), std::string("\xed\xa0\x80"),
        std::string("\xf4\x90\x80\x80"), std::string("abc\xe2\x82"), std::string("\x80")}) {
    request.set_context(bad);
    const Status status = CheckUtf8Fields(request);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(Fields(status), std::vector<std::string>{"context"});
  }
}

TEST(RequestValidationTest, BlindIndexPurposeIsAllowListed) {
  v1::BlindIndexRequest request;
  request.set_value("x");
  for (const char* purpose : {"", "Phone", "name", "email "}) {
    request.set_purpose(purpose);
    EXPECT_EQ(Fields(ValidateBlindIndex(request)), std::vector<std::string>{"purpose"}) << purpose;
  }
  request.set_purpose("email");
  EXPECT_TRUE(ValidateBlindIndex(request).ok());
  request.set_value(std::string(321, 'a'));
  EXPECT_EQ(Fields(ValidateBlindIndex(request)), std::vector<std::string>{"value"});
}

}  // namespace
}  // namespace milkyhoop::security
