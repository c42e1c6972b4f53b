#include "milkyhoop/rag/text_analyzer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace milkyhoop::rag {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

std::vector<std::string> Terms(std::string_view text) {
  return TextAnalyzer::Default()->Terms(text);
}

TEST(TextAnalyzerTest, NormalisesChatSlang) {
  // brp -> berapa; kak is a term of address and gk -> tidak a stop word.
  EXPECT_THAT(Terms("jam brp buka kak? gk"), ElementsAre("jam", "berapa", "buka"));
  EXPECT_EQ(Terms("dmn"), Terms("di mana"));
  EXPECT_EQ(Terms("nasgor"), Terms("nasi goreng"));
  EXPECT_EQ(Terms("bs pesen"), Terms("bisa pesan"));
}

TEST(TextAnalyzerTest, NormalisesTwoWordForms) {
  EXPECT_EQ(Terms("tanggal merah"), Terms("libur nasional"));
}

TEST(TextAnalyzerTest, FoldsAccentsAndCase) { EXPECT_EQ(Terms("KAFÉ"), Terms("kafe")); }

TEST(TextAnalyzerTest, StemsIndonesian) {
  EXPECT_THAT(Terms("makanannya"), ElementsAre("makan"));
  EXPECT_EQ(Terms("pembayaran"), Terms("bayar"));
  EXPECT_EQ(Terms("dikirim"), Terms("kirim"));
}

TEST(TextAnalyzerTest, ProtectedRootsAreNotCut) {
  // Snowball alone would read "kemeja" as ke- + "meja" and "berapa" as ber- + "apa".
  EXPECT_THAT(Terms("kemejanya"), ElementsAre("kemeja"));
  EXPECT_THAT(Terms("berapa"), ElementsAre("berapa"));
  EXPECT_THAT(Terms("meja"), ElementsAre("meja"));
}

TEST(TextAnalyzerTest, RestoresTheRootConsonantAfterNasalPrefixes) {
  EXPECT_THAT(Terms("menerima"), Contains("terima"));
  EXPECT_THAT(Terms("pengiriman"), Contains("kirim"));
}

TEST(TextAnalyzerTest, StemsEnglishWordsAsEnglish) {
  EXPECT_EQ(Terms("ordering"), Terms("order"));
  EXPECT_EQ(Terms("deliveries"), Terms("delivery"));
}

TEST(TextAnalyzerTest, DropsStopWords) {
  EXPECT_THAT(Terms("yang dan di ke dari the is a"), IsEmpty());
  EXPECT_THAT(Terms("roti yang enak"), ElementsAre("roti", "enak"));
}

TEST(TextAnalyzerTest, AnalyzeGivesSynonymsAndGenericFlags) {
  const auto words = TextAnalyzer::Default()->Analyze("bisa delivery?");
  ASSERT_EQ(words.size(), 2u);
  EXPECT_TRUE(words[0].generic);
  EXPECT_FALSE(words[1].generic);
  EXPECT_THAT(words[1].synonyms, Contains("antar"));
  EXPECT_THAT(words[1].synonyms, Not(Contains(words[1].stems.front())));
}

TEST(TextAnalyzerTest, ReadsColloquialSuffixes) {
  const auto analyzer = TextAnalyzer::Default();
  EXPECT_THAT(analyzer->ColloquialStems("ditulisin"), Contains("tulis"));
  EXPECT_THAT(analyzer->ColloquialStems("ngecek"), Contains("cek"));
  EXPECT_THAT(analyzer->ColloquialStems("roti"), IsEmpty());
}

TEST(TextAnalyzerTest, TablesComeFromTheConstructor) {
  TextAnalyzer analyzer(TextAnalyzer::Tables{.normalization = "# comment\nzz = kopi susu\n",
                                             .stopwords = "dong",
                                             .generic_words = "",
                                             .english_words = "",
                                             .synonyms = "",
                                             .stem_overrides = ""});
  EXPECT_THAT(analyzer.Terms("zz dong"), ElementsAre("kopi", "susu"));
}

TEST(TextAnalyzerTest, IsSafeOnHugeOrHostileInput) {
  std::string big(TextAnalyzer::kMaxBytes + 100, 'a');
  EXPECT_LE(Terms(big).size(), 1u);
  EXPECT_THAT(Terms(std::string("\0\xff\xfe", 3)), IsEmpty());
}

}  // namespace
}  // namespace milkyhoop::rag
