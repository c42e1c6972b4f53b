#pragma once
// A business's index on disk, so a restart loads it instead of analysing every passage again,
// then applies the change log from the sequence it holds (index_sync.hpp).
//
// File: a fixed header (magic "MHRAGIDX", format version, the analysis fingerprint, payload
// length, SHA-256 of the payload), then the payload: organisation and business ids, the
// sequence, the embedding model of its vectors, and per passage its display fields, analysed terms
// and embedding (native byte order: a file from a machine of the other order fails its version
// check). Written to a temporary file in the same directory and renamed over the old one, so a
// reader sees the old file or the new, never half of one. A file that is truncated, corrupt, of
// another version, of another analysis, or of another business is refused with the reason; the
// caller rebuilds from the tables.
#include <cstddef>
#include <filesystem>
#include <string>

#include "knowledge_index.hpp"
#include "milkyhoop/core/status.hpp"

namespace milkyhoop::rag {

// 2: the embedding model was added (a version-1 file is refused and the index rebuilt).
inline constexpr std::uint32_t kSnapshotFormatVersion = 2;
// A snapshot is read whole into memory: a bound on what one business's index may take.
inline constexpr std::size_t kMaxSnapshotBytes = std::size_t{2} << 30;

// The file of one business in `dir`: named by a hash of both ids (any characters are safe).
std::filesystem::path SnapshotPath(const std::filesystem::path& dir, const std::string& org_id,
                                   const std::string& business_id);

Status WriteSnapshot(const std::filesystem::path& file, const std::string& org_id,
                     const std::string& business_id, const KnowledgeIndexImage& image);
// kNotFound when there is no file; kDataLoss (with why) when it cannot be used.
Result<KnowledgeIndexImage> ReadSnapshot(const std::filesystem::path& file,
                                         const std::string& org_id, const std::string& business_id,
                                         std::size_t max_bytes = kMaxSnapshotBytes);

}  // namespace milkyhoop::rag
