#include "adapters/fix_crypto.h"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <array>
#include <cstdlib>
#include <memory>

#include "absl/strings/str_cat.h"

namespace tapedeck::adapters::crypto {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int Sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, CtxFree>;
using Bio = std::unique_ptr<BIO, BioFree>;

// OpenSSL's queued error text (drained), for messages; never key material.
std::string OpenSslError() {
  std::string out;
  for (unsigned long e = ERR_get_error(); e != 0; e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    absl::StrAppend(&out, out.empty() ? "" : "; ", buf);
  }
  return out.empty() ? "no detail from OpenSSL" : out;
}

Bio MemBio(std::string_view pem) {
  return Bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

int PkeyId(KeyType type) { return type == KeyType::kEd25519 ? EVP_PKEY_ED25519 : EVP_PKEY_RSA; }
const char* TypeName(KeyType type) { return type == KeyType::kEd25519 ? "Ed25519" : "RSA"; }

absl::StatusOr<Pkey> ReadPrivate(KeyType type, std::string_view pem) {
  Bio bio = MemBio(pem);
  Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a readable PEM private key (", OpenSslError(), ")"));
  }
  if (EVP_PKEY_get_base_id(key.get()) != PkeyId(type)) {
    return absl::InvalidArgumentError(absl::StrCat("the private key is not an ", TypeName(type),
                                                   " key"));
  }
  return key;
}

absl::StatusOr<Pkey> ReadPublic(KeyType type, std::string_view pem) {
  Bio bio = MemBio(pem);
  Pkey key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a readable PEM public key (", OpenSslError(), ")"));
  }
  if (EVP_PKEY_get_base_id(key.get()) != PkeyId(type)) {
    return absl::InvalidArgumentError(absl::StrCat("the public key is not an ", TypeName(type),
                                                   " key"));
  }
  return key;
}

// Ed25519 signs the message itself (no digest); RSA here is SHA-256 with PKCS #1 v1.5.
const EVP_MD* DigestOf(KeyType type) { return type == KeyType::kEd25519 ? nullptr : EVP_sha256(); }

std::string Hmac(const EVP_MD* md, std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &len);
  return std::string(reinterpret_cast<const char*>(out.data()), len);
}

std::string WritePem(EVP_PKEY* key, bool private_part) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (private_part) {
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  } else {
    PEM_write_bio_PUBKEY(bio.get(), key);
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto at = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[k])); };
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = at(i) << 16 | at(i + 1) << 8 | at(i + 2);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kAlphabet[(v >> s) & 63]);
  }
  if (const size_t rest = bytes.size() - i; rest > 0) {
    const uint32_t v = at(i) << 16 | (rest == 2 ? at(i + 1) << 8 : 0);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

absl::StatusOr<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return absl::InvalidArgumentError("Base64 text whose length is not a multiple of 4");
  }
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    const int pad = last ? (text[i + 3] == '=' ? (text[i + 2] == '=' ? 2 : 1) : 0) : 0;
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const int s = k >= 4 - pad ? 0 : Sextet(text[i + static_cast<size_t>(k)]);
      if (s < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("Base64 text with a character outside the alphabet at offset ",
                         i + static_cast<size_t>(k)));
      }
      v = v << 6 | static_cast<uint32_t>(s);
    }
    out.push_back(static_cast<char>(v >> 16));
    if (pad < 2) out.push_back(static_cast<char>(v >> 8 & 0xff));
    if (pad < 1) out.push_back(static_cast<char>(v & 0xff));
  }
  return out;
}

std::string Sha256(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(out.data()), len);
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  return Hmac(EVP_sha256(), key, data);
}

std::string HmacSha512(std::string_view key, std::string_view data) {
  return Hmac(EVP_sha512(), key, data);
}

absl::StatusOr<std::string> Sign(KeyType type, std::string_view private_key_pem,
                                 std::string_view data) {
  absl::StatusOr<Pkey> key = ReadPrivate(type, private_key_pem);
  if (!key.ok()) return key.status();
  MdCtx ctx(EVP_MD_CTX_new());
  size_t len = 0;
  const auto* msg = reinterpret_cast<const unsigned char*>(data.data());
  if (EVP_DigestSignInit(ctx.get(), nullptr, DigestOf(type), nullptr, key->get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, msg, data.size()) != 1) {
    return absl::InternalError(absl::StrCat("cannot sign: ", OpenSslError()));
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, msg,
                     data.size()) != 1) {
    return absl::InternalError(absl::StrCat("cannot sign: ", OpenSslError()));
  }
  sig.resize(len);
  return sig;
}

absl::StatusOr<bool> Verify(KeyType type, std::string_view public_key_pem, std::string_view data,
                            std::string_view signature) {
  absl::StatusOr<Pkey> key = ReadPublic(type, public_key_pem);
  if (!key.ok()) return key.status();
  MdCtx ctx(EVP_MD_CTX_new());
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, DigestOf(type), nullptr, key->get()) != 1) {
    return absl::InternalError(absl::StrCat("cannot verify: ", OpenSslError()));
  }
  const int r = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                                 signature.size(),
                                 reinterpret_cast<const unsigned char*>(data.data()), data.size());
  ERR_clear_error();  // a bad signature queues an error we do not report
  return r == 1;
}

absl::StatusOr<std::string> PublicKeyOf(std::string_view private_key_pem) {
  Bio bio = MemBio(private_key_pem);
  Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a readable PEM private key (", OpenSslError(), ")"));
  }
  return WritePem(key.get(), false);
}

absl::StatusOr<KeyPairPem> GenerateKeyPair(KeyType type) {
  Pkey key(type == KeyType::kEd25519 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")
                                     : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}));
  if (key == nullptr) {
    return absl::InternalError(absl::StrCat("cannot generate a key: ", OpenSslError()));
  }
  return KeyPairPem{WritePem(key.get(), true), WritePem(key.get(), false)};
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    // OpenSSL's CSPRNG fails only when the system has no entropy source at all; a nonce is
    // then the one thing we cannot make, so stop rather than send a predictable one.
    std::abort();
  }
  return out;
}

}  // namespace tapedeck::adapters::crypto
