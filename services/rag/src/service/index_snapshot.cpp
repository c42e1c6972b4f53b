#include "index_snapshot.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include "milkyhoop/rag/keyword_index.hpp"

namespace milkyhoop::rag {
namespace {

constexpr char kMagic[8] = {'M', 'H', 'R', 'A', 'G', 'I', 'D', 'X'};
constexpr std::size_t kDigestBytes = 32;
// magic, version, reserved, fingerprint, payload length, digest
constexpr std::size_t kHeaderBytes = 8 + 4 + 4 + 8 + 8 + kDigestBytes;

using Digest = std::array<unsigned char, kDigestBytes>;

Digest Sha256(std::string_view data) {
  Digest out{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr);
  return out;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

class Writer {
 public:
  template <typename T>
  void Pod(T v) {
    out_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void Str(std::string_view s) {
    Pod(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

// Every read is bounds-checked; the first failure sticks and the result is then discarded.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  template <typename T>
  T Pod() {
    T v{};
    if (!Need(sizeof v)) return v;
    std::memcpy(&v, in_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return v;
  }
  std::string Str() {
    const auto n = Pod<std::uint32_t>();
    if (!Need(n)) return {};
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  std::string Bytes(std::size_t n) {
    if (!Need(n)) return {};
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  // A count of items of at least `min_item_bytes` each: refused when the rest cannot hold them,
  // so a corrupt count never reserves gigabytes.
  std::size_t Count(std::size_t min_item_bytes) {
    const auto n = Pod<std::uint64_t>();
    if (ok_ && n > (in_.size() - pos_) / std::max<std::size_t>(min_item_bytes, 1)) ok_ = false;
    return ok_ ? static_cast<std::size_t>(n) : 0;
  }
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == in_.size(); }

 private:
  bool Need(std::size_t n) {
    if (!ok_ || in_.size() - pos_ < n) ok_ = false;
    return ok_;
  }
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

std::string Payload(const std::string& org_id, const std::string& business_id,
                    const KnowledgeIndexImage& image) {
  Writer w;
  w.Str(org_id);
  w.Str(business_id);
  w.Pod<std::int64_t>(image.seq);
  w.Str(image.embedding_model);
  w.Pod<std::uint64_t>(image.keyword.dictionary.size());
  for (const std::string& t : image.keyword.dictionary) w.Str(t);
  w.Pod<std::uint64_t>(image.passages.size());
  for (std::size_t i = 0; i < image.passages.size(); ++i) {
    const Passage& p = image.passages[i];
    const AnalyzedTerms& k = image.keyword.entries[i];
    w.Str(p.entry_id);
    w.Str(p.source_type);
    w.Str(p.source_id);
    w.Str(p.title);
    w.Str(p.text);
    w.Pod<double>(p.boost);
    w.Pod<std::uint32_t>(k.title_length);
    w.Pod<std::uint32_t>(k.body_length);
    w.Pod<std::uint64_t>(k.terms.size());
    for (const TermCount& c : k.terms) {
      w.Pod<std::uint32_t>(c.term);
      w.Pod<std::uint16_t>(c.title_tf);
      w.Pod<std::uint16_t>(c.body_tf);
    }
    w.Pod<std::uint64_t>(p.embedding.size());
    for (float f : p.embedding) w.Pod<float>(f);
  }
  w.Pod<std::uint8_t>(image.vectors ? 1 : 0);
  if (image.vectors) {
    const VectorIndexImage& v = *image.vectors;
    w.Pod<std::uint64_t>(v.dimensions);
    w.Pod<std::uint64_t>(v.next_label);
    w.Pod<std::uint64_t>(v.deleted);
    w.Pod<std::uint64_t>(v.labels.size());
    for (const auto& [id, label] : v.labels) {
      w.Str(id);
      w.Pod<std::uint64_t>(label);
    }
    w.Pod<std::uint64_t>(v.graph.size());
    w.out().append(v.graph);
  }
  return std::move(w.out());
}

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status(StatusCode::kInternal, std::strerror(errno));
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return Status::Ok();
}

}  // namespace

std::filesystem::path SnapshotPath(const std::filesystem::path& dir, const std::string& org_id,
                                   const std::string& business_id) {
  const Digest d = Sha256(org_id + '\n' + business_id);
  return dir / (Hex(std::string_view(reinterpret_cast<const char*>(d.data()), 16)) + ".idx");
}

Status WriteSnapshot(const std::filesystem::path& file, const std::string& org_id,
                     const std::string& business_id, const KnowledgeIndexImage& image) {
  if (image.passages.size() != image.keyword.entries.size()) {
    return Status(StatusCode::kInternal, "snapshot image passages and keyword entries differ");
  }
  const std::string payload = Payload(org_id, business_id, image);
  Writer header;
  header.out().append(kMagic, sizeof kMagic);
  header.Pod<std::uint32_t>(kSnapshotFormatVersion);
  header.Pod<std::uint32_t>(0);
  header.Pod<std::uint64_t>(AnalysisFingerprint());
  header.Pod<std::uint64_t>(payload.size());
  const Digest digest = Sha256(payload);
  header.out().append(reinterpret_cast<const char*>(digest.data()), digest.size());

  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) return Status(StatusCode::kInternal, "snapshot directory: " + ec.message());
  // Unique per process and call: two processes (or two threads) writing the same business's
  // snapshot each rename their own complete file; the last rename wins, and either is valid.
  static std::atomic<std::uint64_t> counter{0};
  const std::filesystem::path tmp =
      file.string() + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(++counter);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return Status(StatusCode::kInternal, "snapshot: " + std::string(std::strerror(errno)));
  Status written = WriteAll(fd, header.out());
  if (written.ok()) written = WriteAll(fd, payload);
  // Durable before the rename: a crash must not leave a renamed file with missing blocks.
  if (written.ok() && ::fdatasync(fd) != 0) {
    written = Status(StatusCode::kInternal, std::strerror(errno));
  }
  ::close(fd);
  if (written.ok()) {
    std::filesystem::rename(tmp, file, ec);
    if (ec) written = Status(StatusCode::kInternal, ec.message());
  }
  if (!written.ok()) {
    std::filesystem::remove(tmp, ec);
    return Status(StatusCode::kInternal, "snapshot not written: " + written.message());
  }
  return Status::Ok();
}

Result<KnowledgeIndexImage> ReadSnapshot(const std::filesystem::path& file,
                                         const std::string& org_id, const std::string& business_id,
                                         std::size_t max_bytes) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) return NotFound("no snapshot");
  if (size < kHeaderBytes || size > max_bytes) {
    return Status(StatusCode::kDataLoss,
                  "snapshot size " + std::to_string(size) + " is out of range");
  }
  std::string data(size, '\0');
  std::ifstream in(file, std::ios::binary);
  if (!in.read(data.data(), static_cast<std::streamsize>(size))) {
    return Status(StatusCode::kDataLoss, "snapshot cannot be read");
  }
  if (std::memcmp(data.data(), kMagic, sizeof kMagic) != 0) {
    return Status(StatusCode::kDataLoss, "not a snapshot (magic)");
  }
  Reader header(std::string_view(data).substr(sizeof kMagic, kHeaderBytes - sizeof kMagic));
  const auto version = header.Pod<std::uint32_t>();
  const auto reserved = header.Pod<std::uint32_t>();
  const auto fingerprint = header.Pod<std::uint64_t>();
  const auto length = header.Pod<std::uint64_t>();
  if (version != kSnapshotFormatVersion || reserved != 0) {
    return Status(StatusCode::kDataLoss,
                  "snapshot format version " + std::to_string(version) + " is not ours");
  }
  if (fingerprint != AnalysisFingerprint()) {
    return Status(StatusCode::kDataLoss, "snapshot of another text analysis");
  }
  if (length != size - kHeaderBytes) {
    return Status(StatusCode::kDataLoss, "snapshot is truncated or has trailing bytes");
  }
  const std::string_view payload = std::string_view(data).substr(kHeaderBytes);
  const Digest digest = Sha256(payload);
  if (std::memcmp(digest.data(), data.data() + kHeaderBytes - kDigestBytes, kDigestBytes) != 0) {
    return Status(StatusCode::kDataLoss, "snapshot checksum mismatch");
  }

  Reader r(payload);
  KnowledgeIndexImage image;
  if (r.Str() != org_id || r.Str() != business_id) {
    return Status(StatusCode::kDataLoss, "snapshot of another business");
  }
  image.seq = r.Pod<std::int64_t>();
  image.embedding_model = r.Str();
  const std::size_t terms = r.Count(4);
  image.keyword.dictionary.reserve(terms);
  for (std::size_t i = 0; i < terms && r.ok(); ++i) image.keyword.dictionary.push_back(r.Str());
  const std::size_t passages = r.Count(5 * 4 + 8 + 8 + 8 + 8);
  image.passages.reserve(passages);
  image.keyword.entries.reserve(passages);
  for (std::size_t i = 0; i < passages && r.ok(); ++i) {
    Passage& p = image.passages.emplace_back();
    AnalyzedTerms& k = image.keyword.entries.emplace_back();
    p.entry_id = r.Str();
    p.source_type = r.Str();
    p.source_id = r.Str();
    p.title = r.Str();
    p.text = r.Str();
    p.boost = r.Pod<double>();
    k.id = p.entry_id;
    k.boost = p.boost;
    k.title_length = r.Pod<std::uint32_t>();
    k.body_length = r.Pod<std::uint32_t>();
    const std::size_t counts = r.Count(8);
    k.terms.reserve(counts);
    for (std::size_t c = 0; c < counts && r.ok(); ++c) {
      TermCount& t = k.terms.emplace_back();
      t.term = r.Pod<std::uint32_t>();
      t.title_tf = r.Pod<std::uint16_t>();
      t.body_tf = r.Pod<std::uint16_t>();
    }
    const std::size_t dims = r.Count(4);
    p.embedding.reserve(dims);
    for (std::size_t d = 0; d < dims && r.ok(); ++d) p.embedding.push_back(r.Pod<float>());
  }
  if (r.Pod<std::uint8_t>() == 1) {
    VectorIndexImage& v = image.vectors.emplace();
    v.dimensions = r.Pod<std::uint64_t>();
    v.next_label = r.Pod<std::uint64_t>();
    v.deleted = r.Pod<std::uint64_t>();
    const std::size_t labels = r.Count(12);
    v.labels.reserve(labels);
    for (std::size_t i = 0; i < labels && r.ok(); ++i) {
      std::string id = r.Str();
      v.labels.emplace_back(std::move(id), r.Pod<std::uint64_t>());
    }
    v.graph = r.Bytes(r.Count(1));
  }
  if (!r.ok() || !r.at_end()) return Status(StatusCode::kDataLoss, "snapshot payload is malformed");
  return image;
}

}  // namespace milkyhoop::rag
