#include "request_validation.hpp"

#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/security/security_service.hpp"

namespace milkyhoop::security {
namespace {

// Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool IsUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return false;
    }
    i += len;
  }
  return true;
}

class FieldErrors {
 public:
  void Add(std::string field, std::string message) {
    errors_.push_back({std::move(field), std::move(message)});
  }
  void Utf8(const char* field, std::string_view value) {
    if (!IsUtf8(value)) Add(field, "is not valid UTF-8");
  }
  Status ToStatus() const {
    if (errors_.empty()) return Status::Ok();
    std::string message;
    for (const FieldError& e : errors_) {
      if (!message.empty()) message += "; ";
      message += e.field + ": " + e.message;
    }
    Status status = InvalidArgument(std::move(message));
    for (const FieldError& e : errors_) status.WithField(e.field, e.message);
    return status;
  }

 private:
  std::vector<FieldError> errors_;
};

void CheckContext(FieldErrors& errors, std::string_view context) {
  if (context.empty()) {
    errors.Add("context", "is required");
  } else if (context.size() > kMaxContextBytes) {
    errors.Add("context", "is longer than 512 bytes");
  } else {
    errors.Utf8("context", context);
  }
}

void CheckSealed(FieldErrors& errors, std::string_view sealed) {
  if (sealed.empty()) {
    errors.Add("sealed", "is required");
  } else if (sealed.size() > kMaxSealedBytes) {
    errors.Add("sealed", "is longer than 131072 bytes");
  } else {
    errors.Utf8("sealed", sealed);
  }
}

}  // namespace

Status CheckUtf8Fields(const v1::EncryptRequest& request) {
  FieldErrors errors;
  errors.Utf8("context", request.context());
  return errors.ToStatus();
}

Status CheckUtf8Fields(const v1::DecryptRequest& request) {
  FieldErrors errors;
  errors.Utf8("sealed", request.sealed());
  errors.Utf8("context", request.context());
  return errors.ToStatus();
}

Status CheckUtf8Fields(const v1::RewrapRequest& request) {
  FieldErrors errors;
  errors.Utf8("sealed", request.sealed());
  return errors.ToStatus();
}

Status CheckUtf8Fields(const v1::BlindIndexRequest& request) {
  FieldErrors errors;
  errors.Utf8("purpose", request.purpose());
  errors.Utf8("value", request.value());
  return errors.ToStatus();
}

Status ValidateEncrypt(const v1::EncryptRequest& request) {
  FieldErrors errors;
  if (request.plaintext().size() > kMaxPlaintextBytes) {
    errors.Add("plaintext", "is larger than 65536 bytes");
  }
  CheckContext(errors, request.context());
  return errors.ToStatus();
}

Status ValidateDecrypt(const v1::DecryptRequest& request) {
  FieldErrors errors;
  CheckSealed(errors, request.sealed());
  CheckContext(errors, request.context());
  return errors.ToStatus();
}

Status ValidateRewrap(const v1::RewrapRequest& request) {
  FieldErrors errors;
  CheckSealed(errors, request.sealed());
  return errors.ToStatus();
}

Status ValidateBlindIndex(const v1::BlindIndexRequest& request) {
  FieldErrors errors;
  if (request.purpose() != kPurposePhone && request.purpose() != kPurposeEmail) {
    errors.Add("purpose", "must be \"phone\" or \"email\"");
  }
  if (request.value().empty()) {
    errors.Add("value", "is required");
  } else if (request.value().size() > kMaxIndexValueBytes) {
    errors.Add("value", "is longer than 320 bytes");
  } else {
    errors.Utf8("value", request.value());
  }
  return errors.ToStatus();
}

}  // namespace milkyhoop::security
