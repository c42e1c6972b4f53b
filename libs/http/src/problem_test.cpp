#include "milkyhoop/http/problem.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace milkyhoop::http {
namespace {

TEST(ProblemTest, ValidationErrorsListFields) {
  Response r = ProblemFromStatus(InvalidField("email", "must be an email address"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, "application/problem+json");
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["code"], "invalid_argument");
  EXPECT_EQ(j["status"], 400);
  EXPECT_EQ(j["errors"][0]["field"], "email");
}

TEST(ProblemTest, StatusCodesMapOnce) {
  EXPECT_EQ(ProblemFromStatus(NotFound("x")).status, 404);
  EXPECT_EQ(ProblemFromStatus(AlreadyExists("x")).status, 409);
  EXPECT_EQ(ProblemFromStatus(PermissionDenied("x")).status, 403);
  EXPECT_EQ(ProblemFromStatus(ResourceExhausted("x")).status, 429);
  EXPECT_EQ(ProblemFromStatus(Unavailable("x")).status, 503);
  Response unauth = ProblemFromStatus(Unauthenticated("x"));
  EXPECT_EQ(unauth.status, 401);
  EXPECT_EQ(unauth.Header("www-authenticate"), "Bearer");
}

TEST(ProblemTest, InternalErrorsHideDetails) {
  Response r = ProblemFromStatus(Internal("SELECT * FROM secret_table failed"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secret_table"), std::string::npos);
}

}  // namespace
}  // namespace milkyhoop::http
