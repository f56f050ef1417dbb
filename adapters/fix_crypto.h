// The cryptography the venues' FIX logons need, over OpenSSL 3 (libssl-dev; QuickFIX links it
// already for TLS): SHA-256, HMAC-SHA256/512, Ed25519 and RSA-SHA256 (PKCS #1 v1.5) signatures,
// standard Base64 with padding, and random bytes. Keys come as PEM text (PKCS #8 private keys,
// SubjectPublicKeyInfo public keys), as `openssl genpkey` writes them.
//
// Binary values (digests, signatures, decoded secrets) travel in std::string as bytes.
#ifndef TAPEDECK_ADAPTERS_FIX_CRYPTO_H_
#define TAPEDECK_ADAPTERS_FIX_CRYPTO_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tapedeck::adapters::crypto {

std::string Base64Encode(std::string_view bytes);
// Strict standard alphabet with '=' padding; whitespace is an error.
absl::StatusOr<std::string> Base64Decode(std::string_view text);

std::string Sha256(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);
std::string HmacSha512(std::string_view key, std::string_view data);

enum class KeyType { kEd25519, kRsa };

// Signs `data` with the PEM private key: Ed25519 (pure, no pre-hash) or RSA with SHA-256 and
// PKCS #1 v1.5 padding. An error when the PEM is unreadable or holds another type of key.
absl::StatusOr<std::string> Sign(KeyType type, std::string_view private_key_pem,
                                 std::string_view data);
// Whether `signature` is a valid signature of `data` under the PEM public key. Errors only for
// an unusable key; a wrong signature is OK(false).
absl::StatusOr<bool> Verify(KeyType type, std::string_view public_key_pem, std::string_view data,
                            std::string_view signature);

// The PEM public key of a PEM private key.
absl::StatusOr<std::string> PublicKeyOf(std::string_view private_key_pem);

// A fresh key pair as PEM (private, public): for tests and for `openssl`-less setups.
struct KeyPairPem {
  std::string private_pem;
  std::string public_pem;
};
absl::StatusOr<KeyPairPem> GenerateKeyPair(KeyType type);

// Equality in time independent of where the inputs differ (signature and password checks).
bool ConstantTimeEqual(std::string_view a, std::string_view b);

// `n` bytes from OpenSSL's CSPRNG.
std::string RandomBytes(size_t n);

}  // namespace tapedeck::adapters::crypto

#endif  // TAPEDECK_ADAPTERS_FIX_CRYPTO_H_
