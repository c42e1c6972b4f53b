#include "milkyhoop/http/multipart.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::http {
namespace {

constexpr std::string_view kType = "multipart/form-data; boundary=----WebKitFormBoundaryX7f";

std::string Body() {
  using namespace std::string_literals;
  return "------WebKitFormBoundaryX7f\r\n"
         "Content-Disposition: form-data; name=\"title\"\r\n"
         "\r\n"
         "Daftar harga\r\n"
         "------WebKitFormBoundaryX7f\r\n"
         "Content-Disposition: form-data; name=\"file\"; filename=\"harga 2024.pdf\"\r\n"
         "Content-Type: application/pdf\r\n"
         "\r\n"
         "%PDF-1.4\r\n--not-the-boundary\r\n\0binary\xFF\0\r\n"
         "------WebKitFormBoundaryX7f--\r\n"s;
}

TEST(MultipartTest, ParsesFieldsAndFilesAsViewsIntoTheBody) {
  const std::string body = Body();
  auto parts = ParseMultipart(kType, body);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 2u);
  const MultipartPart& title = (*parts)[0];
  EXPECT_EQ(title.name, "title");
  EXPECT_EQ(title.filename, "");
  EXPECT_EQ(title.content_type, "");
  EXPECT_EQ(title.data, "Daftar harga");
  const MultipartPart& file = (*parts)[1];
  EXPECT_EQ(file.name, "file");
  EXPECT_EQ(file.filename, "harga 2024.pdf");
  EXPECT_EQ(file.content_type, "application/pdf");
  EXPECT_EQ(file.data, std::string_view("%PDF-1.4\r\n--not-the-boundary\r\n\0binary\xFF\0", 39));
  // No copy: the data points into the body.
  EXPECT_GE(file.data.data(), body.data());
  EXPECT_LE(file.data.data() + file.data.size(), body.data() + body.size());
}

TEST(MultipartTest, PreambleEpilogueQuotedBoundaryAndOddHeaders) {
  const std::string body =
      "ini preamble\r\n"
      "--a:b c\r\n"
      "content-disposition: FORM-DATA;\r\n"
      "  name=\"doc\"; filename=\"C:\\Users\\sari\\menu.md\"\r\n"
      "X-Ignored: ya\r\n"
      "\r\n"
      "# Menu\r\n"
      "--a:b c  \r\n"
      "Content-Disposition: form-data; name=\"f\"; filename=\"x.txt\"; "
      "filename*=UTF-8''%E2%82%AC%20harga.txt\r\n"
      "\r\n"
      "\r\n"
      "--a:b c--\r\n"
      "epilog diabaikan";
  auto parts = ParseMultipart("Multipart/Form-Data; charset=utf-8; boundary=\"a:b c\"", body);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "doc");
  EXPECT_EQ((*parts)[0].filename, "menu.md");
  EXPECT_EQ((*parts)[0].data, "# Menu");
  EXPECT_EQ((*parts)[1].filename, "€ harga.txt");
  EXPECT_EQ((*parts)[1].data, "");
}

void ExpectInvalid(std::string_view type, std::string_view body, std::string_view words,
                   std::size_t max_parts = 16) {
  auto parts = ParseMultipart(type, body, max_parts);
  ASSERT_FALSE(parts.ok());
  EXPECT_EQ(parts.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(parts.status().message().find(words), std::string::npos) << parts.status().message();
}

TEST(MultipartTest, RejectsWhatIsNotAWellFormedForm) {
  const std::string body = Body();
  ExpectInvalid("multipart/form-data", body, "no boundary");
  ExpectInvalid("multipart/form-data; boundary=", body, "no boundary");
  ExpectInvalid("application/json; boundary=x", body, "not multipart/form-data");
  ExpectInvalid("multipart/form-data; boundary=" + std::string(71, 'b'), body, "70");
  ExpectInvalid(kType, "tidak ada pembatas", "no delimiter");
  // Truncated: cut inside the file's data, and just before the closing "--".
  ExpectInvalid(kType, std::string_view(body).substr(0, body.size() - 40), "no closing delimiter");
  ExpectInvalid(kType, std::string_view(body).substr(0, body.size() - 4), "no closing delimiter");
  ExpectInvalid(kType, body, "more than 1 parts", 1);
  ExpectInvalid(kType,
                "------WebKitFormBoundaryX7f\r\nContent-Disposition: form-data; name=\"a\"\r\n",
                "truncated");
  ExpectInvalid(kType,
                "------WebKitFormBoundaryX7f\r\nX-Big: " + std::string(9000, 'x') + "\r\n\r\n",
                "over 8 KiB");
  ExpectInvalid(
      kType,
      "------WebKitFormBoundaryX7f\r\nno colon here\r\n\r\nx\r\n------WebKitFormBoundaryX7f--",
      "malformed");
  ExpectInvalid(kType,
                "------WebKitFormBoundaryX7f\r\nContent-Type: "
                "text/plain\r\n\r\nx\r\n------WebKitFormBoundaryX7f--",
                "form-data");
  ExpectInvalid(kType,
                "------WebKitFormBoundaryX7f\r\nContent-Disposition: "
                "form-data\r\n\r\nx\r\n------WebKitFormBoundaryX7f--",
                "no name");
  // An empty name is no name (found by request_body_fuzz: name=""lief).
  ExpectInvalid(kType,
                "------WebKitFormBoundaryX7f\r\nContent-Disposition: form-data; "
                "name=\"\"lief\r\n\r\nx\r\n------WebKitFormBoundaryX7f--",
                "no name");
  ExpectInvalid(kType, "------WebKitFormBoundaryX7fjunk\r\n", "malformed");
}

TEST(MultipartTest, HeaderParameter) {
  bool found = false;
  EXPECT_EQ(HeaderParameter("form-data; name=\"a;b\"; filename=x.txt", "filename", &found),
            "x.txt");
  EXPECT_TRUE(found);
  EXPECT_EQ(HeaderParameter("form-data; name=\"say \\\"hi\\\"\"", "name"), "say \"hi\"");
  EXPECT_EQ(HeaderParameter("form-data; flag; name=n", "name"), "n");
  EXPECT_EQ(HeaderParameter("form-data; name=n", "filename", &found), "");
  EXPECT_FALSE(found);
}

}  // namespace
}  // namespace milkyhoop::http
