#pragma once
// The security service: envelope encryption of fields at rest and blind indexes for looking
// them up. Callers hold a SecurityService&; the composition root decides whether it is the
// in-process implementation (MakeSecurityService) or a gRPC client
// (milkyhoop/security/security_grpc.hpp). Errors: kInvalidArgument with field errors naming the
// offending request field; kFailedPrecondition when a sealed value names a master key this
// deployment does not hold.

#include <cstddef>
#include <memory>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/crypto/key_ring.hpp"
#include "milkyhoop/security/v1/security.pb.h"

namespace milkyhoop::security {

inline constexpr std::size_t kMaxPlaintextBytes = 64 * 1024;
inline constexpr std::size_t kMaxContextBytes = 512;
// A 64 KiB plaintext seals to about 87.5 KiB; anything much longer is not ours.
inline constexpr std::size_t kMaxSealedBytes = 128 * 1024;
inline constexpr std::size_t kMaxIndexValueBytes = 320;
inline constexpr char kPurposePhone[] = "phone";
inline constexpr char kPurposeEmail[] = "email";

// v1:: below is the generated milkyhoop::security::v1 (proto/milkyhoop/security/v1/).
class SecurityService {
 public:
  virtual ~SecurityService();
  // Seals `plaintext` bound to `context`. kInvalidArgument: context empty or longer than 512
  // bytes, plaintext over 64 KiB.
  virtual Result<v1::EncryptResponse> Encrypt(const v1::EncryptRequest& request) = 0;
  // kInvalidArgument ("sealed") when the value is malformed, tampered with or sealed under
  // another context.
  virtual Result<v1::DecryptResponse> Decrypt(const v1::DecryptRequest& request) = 0;
  // Moves a sealed value to the active master key (after a rotation), without its context.
  virtual Result<v1::RewrapResponse> Rewrap(const v1::RewrapRequest& request) = 0;
  // kInvalidArgument: purpose other than "phone"/"email", value empty, too long, or not a
  // phone number / email address.
  virtual Result<v1::BlindIndexResponse> BlindIndex(const v1::BlindIndexRequest& request) = 0;
};

// The implementation over `keys` (see crypto::LoadKeyRing). Thread-safe; never blocks (pure
// CPU work of microseconds), so its gRPC server needs no executor.
std::unique_ptr<SecurityService> MakeSecurityService(crypto::KeyRing keys);

}  // namespace milkyhoop::security
