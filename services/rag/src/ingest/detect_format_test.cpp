#include <gtest/gtest.h>

#include "milkyhoop/rag/ingest.hpp"

namespace milkyhoop::rag {
namespace {

DocumentFormat Detect(std::string_view type, std::string_view name) {
  auto r = DetectFormat(type, name);
  EXPECT_TRUE(r.ok()) << type << " " << name << ": " << r.status().ToString();
  return r.ok() ? *r : DocumentFormat::kText;
}

TEST(DetectFormatTest, FromMediaTypeIgnoringParametersAndCase) {
  EXPECT_EQ(Detect("text/plain; charset=utf-8", "x.pdf"), DocumentFormat::kText);
  EXPECT_EQ(Detect("Text/Markdown", ""), DocumentFormat::kMarkdown);
  EXPECT_EQ(Detect("text/html;charset=UTF-8", ""), DocumentFormat::kHtml);
  EXPECT_EQ(Detect("application/pdf", "scan"), DocumentFormat::kPdf);
  EXPECT_EQ(Detect("text/csv", ""), DocumentFormat::kCsv);
}

TEST(DetectFormatTest, FromExtensionWhenTheTypeSaysNothing) {
  EXPECT_EQ(Detect("", "harga.TXT"), DocumentFormat::kText);
  EXPECT_EQ(Detect("application/octet-stream", "README.markdown"), DocumentFormat::kMarkdown);
  EXPECT_EQ(Detect("", "index.htm"), DocumentFormat::kHtml);
  EXPECT_EQ(Detect("", "C:\\Dokumen\\menu.v2.pdf"), DocumentFormat::kPdf);
  EXPECT_EQ(Detect("application/vnd.ms-excel", "produk.csv"), DocumentFormat::kCsv);
  EXPECT_EQ(Detect("text/plain", "faq.md"), DocumentFormat::kMarkdown);
}

TEST(DetectFormatTest, UnsupportedTypesNameTheType) {
  auto image = DetectFormat("image/png", "foto.png");
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(image.status().message().find("image/png"), std::string::npos);
  auto docx = DetectFormat("", "laporan.docx");
  ASSERT_FALSE(docx.ok());
  EXPECT_NE(docx.status().message().find("laporan.docx"), std::string::npos);
  EXPECT_FALSE(DetectFormat("", "tanpa-ekstensi").ok());
  EXPECT_FALSE(DetectFormat("application/vnd.ms-excel", "data.xls").ok());
}

}  // namespace
}  // namespace milkyhoop::rag
