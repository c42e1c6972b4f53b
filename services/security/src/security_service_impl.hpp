#pragma once
// In-process implementation of SecurityService over a KeyRing: crypto::Envelope for
// Encrypt/Decrypt/Rewrap, crypto::BlindIndexer for BlindIndex. Immutable after construction,
// so thread-safe without locks; a key rotation takes a new instance (restart or re-create).

#include "milkyhoop/crypto/blind_index.hpp"
#include "milkyhoop/crypto/envelope.hpp"
#include "milkyhoop/crypto/key_ring.hpp"
#include "milkyhoop/security/security_service.hpp"

namespace milkyhoop::security {

class SecurityServiceImpl final : public SecurityService {
 public:
  explicit SecurityServiceImpl(crypto::KeyRing keys) : envelope_(keys), indexer_(keys) {}

  Result<v1::EncryptResponse> Encrypt(const v1::EncryptRequest& request) override;
  Result<v1::DecryptResponse> Decrypt(const v1::DecryptRequest& request) override;
  Result<v1::RewrapResponse> Rewrap(const v1::RewrapRequest& request) override;
  Result<v1::BlindIndexResponse> BlindIndex(const v1::BlindIndexRequest& request) override;

 private:
  const crypto::Envelope envelope_;
  const crypto::BlindIndexer indexer_;
};

}  // namespace milkyhoop::security
