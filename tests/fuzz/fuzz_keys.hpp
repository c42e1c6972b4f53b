#pragma once
// Fixed key material for the fuzz targets and their seed corpus, so the seed tokens and sealed
// values carry valid signatures and tags and the fuzzer starts past those checks. Made for the
// fuzzers only: these keys protect nothing anywhere.

#include <string>

namespace milkyhoop::fuzz {

inline constexpr char kFuzzIssuer[] = "https://auth.milkyhoop.fuzz";
inline constexpr char kFuzzAudience[] = "milkyhoop-fuzz";
// The verifier's fixed time: seeds signed for it stay valid whenever the fuzzer runs.
inline constexpr long long kFuzzNow = 1'700'000'000;

inline constexpr char kFuzzEd25519Pem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIG23Sgh0IiqePErOQQrY805QC9ro5btGAZPGym8weTM6\n"
    "-----END PRIVATE KEY-----\n";
inline constexpr char kFuzzHmacSecret[] = "milkyhoop-fuzz-hs256-secret-0123456789";

// Envelope: two master keys (the second one "retired", as after a rotation) and an index key.
inline std::string FuzzMasterKey(char fill) { return std::string(32, fill); }
inline constexpr char kFuzzActiveFill = '\x11';
inline constexpr char kFuzzOldFill = '\x22';
inline constexpr char kFuzzIndexFill = '\x33';
inline constexpr char kFuzzContext[] = "auth.users.phone:usr_fuzz";

}  // namespace milkyhoop::fuzz
