#include "security_service_impl.hpp"

#include <utility>

#include "index_normalizer.hpp"
#include "request_validation.hpp"

namespace milkyhoop::security {

SecurityService::~SecurityService() = default;

Result<v1::EncryptResponse> SecurityServiceImpl::Encrypt(const v1::EncryptRequest& request) {
  MH_TRY(ValidateEncrypt(request));
  MH_ASSIGN_OR_RETURN(std::string sealed, envelope_.Seal(request.plaintext(), request.context()));
  v1::EncryptResponse response;
  response.set_sealed(std::move(sealed));
  return response;
}

Result<v1::DecryptResponse> SecurityServiceImpl::Decrypt(const v1::DecryptRequest& request) {
  MH_TRY(ValidateDecrypt(request));
  MH_ASSIGN_OR_RETURN(std::string plaintext, envelope_.Open(request.sealed(), request.context()));
  v1::DecryptResponse response;
  response.set_plaintext(std::move(plaintext));
  return response;
}

Result<v1::RewrapResponse> SecurityServiceImpl::Rewrap(const v1::RewrapRequest& request) {
  MH_TRY(ValidateRewrap(request));
  MH_ASSIGN_OR_RETURN(std::string sealed, envelope_.Rewrap(request.sealed()));
  v1::RewrapResponse response;
  response.set_sealed(std::move(sealed));
  return response;
}

Result<v1::BlindIndexResponse> SecurityServiceImpl::BlindIndex(
    const v1::BlindIndexRequest& request) {
  MH_TRY(ValidateBlindIndex(request));
  MH_ASSIGN_OR_RETURN(std::string normalized, request.purpose() == kPurposePhone
                                                  ? NormalizePhone(request.value())
                                                  : NormalizeEmail(request.value()));
  MH_ASSIGN_OR_RETURN(std::string index, indexer_.Compute(request.purpose(), normalized));
  v1::BlindIndexResponse response;
  response.set_index(std::move(index));
  return response;
}

std::unique_ptr<SecurityService> MakeSecurityService(crypto::KeyRing keys) {
  return std::make_unique<SecurityServiceImpl>(std::move(keys));
}

}  // namespace milkyhoop::security
