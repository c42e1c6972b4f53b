#include "csv_reader.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::rag::ingest {
namespace {

std::vector<std::vector<std::string>> ReadAll(std::string_view data,
                                              std::vector<std::size_t>* lines = nullptr) {
  CsvReader reader(data, CsvReader::SniffDelimiter(data));
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> fields;
  while (true) {
    auto more = reader.Next(fields);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    records.push_back(fields);
    if (lines) lines->push_back(reader.record_line());
  }
  return records;
}

TEST(CsvReaderTest, ReadsQuotesEscapesAndEmbeddedNewlines) {
  std::vector<std::size_t> lines;
  const auto records = ReadAll(
      "nama,catatan\r\n"
      "\"Kopi, susu\",\"kata \"\"enak\"\"\"\r\n"
      "Teh,\"baris satu\nbaris dua\"\r\n"
      "Air,\r\n",
      &lines);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[1], (std::vector<std::string>{"Kopi, susu", "kata \"enak\""}));
  EXPECT_EQ(records[2], (std::vector<std::string>{"Teh", "baris satu\nbaris dua"}));
  EXPECT_EQ(records[3], (std::vector<std::string>{"Air", ""}));
  EXPECT_EQ(lines, (std::vector<std::size_t>{1, 2, 3, 5}));
}

TEST(CsvReaderTest, SniffsSemicolonsAndTabs) {
  EXPECT_EQ(CsvReader::SniffDelimiter("nama;harga;stok\n\"a,b\";1;2"), ';');
  EXPECT_EQ(CsvReader::SniffDelimiter("nama\tharga\n"), '\t');
  EXPECT_EQ(CsvReader::SniffDelimiter("\"a;b;c\",d\n"), ',');
  EXPECT_EQ(CsvReader::SniffDelimiter("satu kolom\n"), ',');
  const auto records = ReadAll("nama;harga\nKopi;15.000,50\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1], (std::vector<std::string>{"Kopi", "15.000,50"}));
}

TEST(CsvReaderTest, ToleratesSloppyQuotesAndLineEnds) {
  const auto records = ReadAll("a,b\n5\" layar,x\"y\"z\rlast,\"q\"tail");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1], (std::vector<std::string>{"5\" layar", "x\"y\"z"}));
  EXPECT_EQ(records[2], (std::vector<std::string>{"last", "qtail"}));
}

TEST(CsvReaderTest, UnterminatedQuoteIsAnError) {
  CsvReader reader("a,b\n1,\"open\n2,3\n", ',');
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.Next(fields).ok());
  auto more = reader.Next(fields);
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(more.status().message().find("line 2"), std::string::npos);
}

TEST(CsvReaderTest, TooManyFieldsIsAnError) {
  const std::string wide(CsvReader::kMaxFields + 5, ',');
  CsvReader reader(wide, ',');
  std::vector<std::string> fields;
  EXPECT_EQ(reader.Next(fields).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace milkyhoop::rag::ingest
