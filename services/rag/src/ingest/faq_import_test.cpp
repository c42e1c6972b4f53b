#include "milkyhoop/rag/faq_import.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::rag {
namespace {

using Tags = std::vector<std::string>;

TEST(FaqImportJsonTest, KeepsGoodRowsAndRejectsBadOnesByIndex) {
  auto r = ParseFaqJson(R"([
    {"question": "  Jam brp buka? ", "answer": "Setiap hari 08.00-21.00.", "tags": ["jam", " buka ", "", "Jam"]},
    {"question": "", "answer": "x"},
    {"question": "Ongkir?", "answer": "   "},
    {"question": "Bisa COD?", "answer": "Bisa.", "tags": "bayar; cod|COD"},
    "bukan objek",
    {"answer": "tanpa pertanyaan"},
    {"question": 5, "answer": "angka"},
    {"question": "Tag aneh", "answer": "x", "tags": [1, 2]},
    {"question": "Lokasi?", "answer": "Jl. Melati 5", "tags": null}
  ])");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rows.size(), 3u);
  EXPECT_EQ(r->rows[0].question, "Jam brp buka?");
  EXPECT_EQ(r->rows[0].answer, "Setiap hari 08.00-21.00.");
  EXPECT_EQ(r->rows[0].tags, (Tags{"jam", "buka"}));
  EXPECT_EQ(r->rows[1].tags, (Tags{"bayar", "cod"}));
  EXPECT_EQ(r->rows[2].question, "Lokasi?");
  EXPECT_TRUE(r->rows[2].tags.empty());
  ASSERT_EQ(r->rejected.size(), 6u);
  const std::vector<std::pair<std::size_t, std::string>> expected = {
      {2, "question is empty"},
      {3, "answer is empty"},
      {5, "not an object with question and answer"},
      {6, "question is missing"},
      {7, "question must be a string"},
      {8, "tags must be an array of strings"}};
  for (std::size_t k = 0; k < expected.size(); ++k) {
    EXPECT_EQ(r->rejected[k].line, expected[k].first);
    EXPECT_EQ(r->rejected[k].reason, expected[k].second);
  }
}

TEST(FaqImportJsonTest, LengthLimitsCountCharactersNotBytes) {
  const std::string q500 = [] {
    std::string s;
    for (int i = 0; i < 500; ++i) s += "é";
    return s;
  }();
  const std::string body = R"([{"question": ")" + q500 + R"(", "answer": "ok"},
      {"question": ")" + q500 +
                           R"(x", "answer": "ok"},
      {"question": "q", "answer": ")" +
                           std::string(5001, 'a') + R"("}])";
  auto r = ParseFaqJson(body);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows.size(), 1u);
  ASSERT_EQ(r->rejected.size(), 2u);
  EXPECT_EQ(r->rejected[0].reason, "question is longer than 500 characters");
  EXPECT_EQ(r->rejected[1].reason, "answer is longer than 5000 characters");
}

TEST(FaqImportJsonTest, MalformedWholesAndLimits) {
  EXPECT_EQ(ParseFaqJson(R"({"question": "a", "answer": "b"})").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseFaqJson(R"([{"question": "a", "answer": "b"})").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseFaqJson(std::string(100000, '[')).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(
      ParseFaqJson(R"([{"question": "a", "answer": "b"}, {"question": "c", "answer": "d"}])", 1)
          .status()
          .code(),
      StatusCode::kResourceExhausted);
  auto empty = ParseFaqJson("[]");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->rows.empty());
}

TEST(FaqImportCsvTest, QuotesCrlfBomAndLineNumbers) {
  const std::string csv =
      "\xEF\xBB\xBF"
      "Tags,Answer,Question\r\n"                                            // line 1
      "jam|buka,\"Setiap hari, 08.00-21.00\",Jam brp buka?\r\n"             // 2
      "bayar; cod,\"Bisa \"\"COD\"\" untuk\r\nJabodetabek\",Bisa COD?\r\n"  // 3-4
      ",Tanpa pertanyaan,\r\n"                                              // 5
      "\r\n"                                                                // 6 (blank: skipped)
      ",\"Jawaban\",\"  \"\r\n"                                             // 7
      ",Benar,Pertanyaan \xFF\xFE rusak\r\n"                                // 8
      ",Alamat Jl. Melati 5,Lokasi?";                                       // 9, no final CRLF
  auto r = ParseFaqCsv(csv);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rows.size(), 3u);
  EXPECT_EQ(r->rows[0].question, "Jam brp buka?");
  EXPECT_EQ(r->rows[0].answer, "Setiap hari, 08.00-21.00");
  EXPECT_EQ(r->rows[0].tags, (Tags{"jam", "buka"}));
  EXPECT_EQ(r->rows[1].answer, "Bisa \"COD\" untuk\r\nJabodetabek");
  EXPECT_EQ(r->rows[1].tags, (Tags{"bayar", "cod"}));
  EXPECT_EQ(r->rows[2].question, "Lokasi?");
  ASSERT_EQ(r->rejected.size(), 3u);
  EXPECT_EQ(r->rejected[0].line, 5u);
  EXPECT_EQ(r->rejected[0].reason, "question is empty");
  EXPECT_EQ(r->rejected[1].line, 7u);
  EXPECT_EQ(r->rejected[1].reason, "question is empty");
  EXPECT_EQ(r->rejected[2].line, 8u);
  EXPECT_EQ(r->rejected[2].reason, "question is not valid UTF-8");
}

TEST(FaqImportCsvTest, SemicolonDelimitedAndIndonesianHeaders) {
  auto r = ParseFaqCsv("pertanyaan;jawaban\nBuka hari Minggu?;Ya, buka.\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0].answer, "Ya, buka.");
}

TEST(FaqImportCsvTest, TagLimits) {
  std::string many;
  for (int i = 0; i < 21; ++i) many += "t" + std::to_string(i) + ";";
  auto r =
      ParseFaqCsv("question,answer,tags\nq,a," + many + "\nq,a," + std::string(65, 'x') + "\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rejected.size(), 2u);
  EXPECT_EQ(r->rejected[0].reason, "more than 20 tags");
  EXPECT_EQ(r->rejected[1].reason, "a tag is longer than 64 characters");
}

TEST(FaqImportCsvTest, MalformedWholesAndLimits) {
  EXPECT_EQ(ParseFaqCsv("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseFaqCsv("\n\n").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseFaqCsv("pertanyaan saja,tags\na,b\n").status().code(),
            StatusCode::kInvalidArgument);
  auto open = ParseFaqCsv("question,answer\nq,\"tidak ditutup\n");
  EXPECT_EQ(open.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(open.status().message().find("line 2"), std::string::npos);
  EXPECT_EQ(ParseFaqCsv("question,answer\na,b\nc,d\n", 1).status().code(),
            StatusCode::kResourceExhausted);
  auto header_only = ParseFaqCsv("question,answer\n");
  ASSERT_TRUE(header_only.ok());
  EXPECT_TRUE(header_only->rows.empty());
}

}  // namespace
}  // namespace milkyhoop::rag
