#include "milkyhoop/crypto/key_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/crypto/encoding.hpp"

namespace milkyhoop::crypto {
namespace {

constexpr char kHeader[] =
    "# MilkyHoop master keys. Keep this file secret (mode 0600) and backed up: losing it loses\n"
    "# every value sealed with these keys. The first key after 'index' is the active master\n"
    "# key; older ones open what they sealed until rewrapped. 'index' is the blind-index key\n"
    "# and never rotates. Rotate with `milkyhoop keys rotate`.\n";

std::string ErrnoText(int err) { return std::error_code(err, std::generic_category()).message(); }

std::string_view Trim(std::string_view s) {
  const char* ws = " \t\r";
  const std::size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  const std::size_t e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Internal("write failed: " + ErrnoText(errno));
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return Status::Ok();
}

// Makes a rename or link in `dir` durable.
void SyncDirectory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// Writes `content` to `path` through a temporary file in the same directory: never a partial
// file under `path`. `replace` false: fails with kAlreadyExists if `path` exists (link(2) does
// not overwrite); true: replaces it (rename(2)).
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view content,
                           bool replace) {
  const std::filesystem::path dir = path.parent_path();
  const std::filesystem::path tmp = dir / ("." + path.filename().string() + ".tmp-" + RandomHex(6));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return FailedPrecondition("cannot create " + tmp.string() + ": " + ErrnoText(errno));
  }
  Status written = WriteAll(fd, content);
  // The umask cannot widen 0600, but a pre-set default ACL could: state the mode explicitly.
  if (written.ok() && ::fchmod(fd, 0600) != 0) {
    written = Internal("chmod failed: " + ErrnoText(errno));
  }
  if (written.ok() && ::fsync(fd) != 0) written = Internal("fsync failed: " + ErrnoText(errno));
  ::close(fd);
  if (written.ok()) {
    if (replace) {
      if (::rename(tmp.c_str(), path.c_str()) != 0) {
        written = Internal("cannot replace " + path.string() + ": " + ErrnoText(errno));
      }
    } else if (::link(tmp.c_str(), path.c_str()) != 0) {
      written = errno == EEXIST
                    ? AlreadyExists("key file " + path.string() + " already exists")
                    : Internal("cannot create " + path.string() + ": " + ErrnoText(errno));
    }
  }
  ::unlink(tmp.c_str());  // after link: the second name; after rename: already gone
  if (written.ok()) SyncDirectory(dir);
  return written;
}

}  // namespace

Result<KeyRing> ParseKeyFile(std::string_view text) {
  std::vector<MasterKey> keys;
  SecretBytes index_key;
  bool have_index = false;
  int line_no = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view line = Trim(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    const std::string where = "key file line " + std::to_string(line_no);
    const std::size_t sep = line.find_first_of(" \t");
    if (sep == std::string_view::npos) return InvalidArgument(where + ": expected '<id> <key>'");
    const std::string_view name = line.substr(0, sep);
    const std::string_view value = Trim(line.substr(sep));
    if (value.find_first_of(" \t") != std::string_view::npos) {
      return InvalidArgument(where + ": expected '<id> <key>'");
    }
    Result<std::string> raw = Base64Decode(value);
    if (!raw.ok()) return InvalidArgument(where + ": key is not valid base64");
    SecretBytes key(std::move(raw).value());
    if (name == "index") {
      if (have_index) return InvalidArgument(where + ": second 'index' key");
      have_index = true;
      index_key = std::move(key);
    } else {
      keys.push_back({std::string(name), std::move(key)});
    }
  }
  if (!have_index) return InvalidArgument("key file: no 'index' key");
  Result<KeyRing> ring = KeyRing::Create(std::move(keys), std::move(index_key));
  if (!ring.ok()) return InvalidArgument("key file: " + ring.status().message());
  return ring;
}

std::string FormatKeyFile(const KeyRing& keys) {
  std::string out = kHeader;
  out += "index " + Base64Encode(keys.index_key().view()) + "\n";
  for (const MasterKey& k : keys.keys()) out += k.id + " " + Base64Encode(k.key.view()) + "\n";
  return out;
}

Result<KeyRing> LoadKeyFile(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return NotFound("key file " + path.string() + " does not exist");
    return FailedPrecondition("cannot open key file " + path.string() + ": " + ErrnoText(err));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return FailedPrecondition("key file " + path.string() + " is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return FailedPrecondition("key file " + path.string() + " has mode " + mode +
                              ": group or others may read it; chmod 600 it");
  }
  std::string text;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  SecretBytes wiped_on_return(std::move(text));
  return ParseKeyFile(wiped_on_return.view());
}

Result<std::string> GenerateKeyFile(const std::filesystem::path& path) {
  const std::filesystem::path dir = path.parent_path();
  if (!dir.empty()) {
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) {
      std::filesystem::create_directories(dir, ec);
      if (ec) return FailedPrecondition("cannot create " + dir.string() + ": " + ec.message());
      std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
    }
  }
  const KeyRing keys = KeyRing::Generate();
  const SecretBytes text(FormatKeyFile(keys));
  MH_TRY(WriteFileAtomically(path, text.view(), /*replace=*/false));
  return keys.active().id;
}

Result<std::string> RotateKeyFile(const std::filesystem::path& path) {
  MH_ASSIGN_OR_RETURN(KeyRing keys, LoadKeyFile(path));
  const KeyRing rotated = keys.WithNewActiveKey();
  const SecretBytes text(FormatKeyFile(rotated));
  MH_TRY(WriteFileAtomically(path, text.view(), /*replace=*/true));
  return rotated.active().id;
}

}  // namespace milkyhoop::crypto
