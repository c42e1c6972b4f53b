#include "openssl_util.hpp"

#include <openssl/err.h>

namespace milkyhoop::crypto::internal {

std::string TakeOpenSslError() {
  const unsigned long code = ERR_get_error();  // NOLINT(google-runtime-int): OpenSSL's type
  ERR_clear_error();
  if (code == 0) return "unknown";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof(buf));
  return buf;
}

void ClearOpenSslErrors() { ERR_clear_error(); }

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);  // NOLINT(google-runtime-int)
  if (len <= 0 || data == nullptr) return {};
  return std::string(data, static_cast<std::size_t>(len));
}

}  // namespace milkyhoop::crypto::internal
