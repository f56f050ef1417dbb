// The venues' logon signatures: the example values a venue publishes (Binance's Ed25519 key and
// signature), standard vectors for the primitives (RFC 4648 Base64, RFC 4231 HMAC), and, where a
// venue publishes only its formula, values computed with the venue's own sample code (Python's
// hmac/hashlib/base64, as in Kraken's and Deribit's documents) and pinned here. Then every
// profile's Logon signed and checked as fixsim checks it, and refused when anything is off.
#include <cstdlib>

#include "adapters/fix_crypto.h"
#include "adapters/venue_auth.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace tapedeck::adapters {
namespace {

using ::tapedeck::testing::IsOk;

// Published in binance-spot-api-docs fix-api.md, "How to sign Logon<A> request": the example
// key (illustration only), fields and computed signature.
constexpr char kBinanceExampleKey[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m89u\n"
    "-----END PRIVATE KEY-----\n";
constexpr char kBinanceExampleSignature[] =
    "4MHXelVVcpkdwuLbl6n73HQUXUf1dse2PCgT1DYqW9w8AVZ1RACFGM+5UdlGPrQHrgtS3CvsRURC1oj73j8gCA==";

std::string Hex(const std::string& bytes) {
  static const char* k = "0123456789abcdef";
  std::string out;
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(k[c >> 4]);
    out.push_back(k[c & 15]);
  }
  return out;
}

TEST(FixCryptoTest, Base64MatchesRfc4648Vectors) {
  EXPECT_EQ(crypto::Base64Encode(""), "");
  EXPECT_EQ(crypto::Base64Encode("f"), "Zg==");
  EXPECT_EQ(crypto::Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(crypto::Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(crypto::Base64Encode("foobar"), "Zm9vYmFy");
  for (const char* s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    absl::StatusOr<std::string> back = crypto::Base64Decode(crypto::Base64Encode(s));
    ASSERT_THAT(back, IsOk());
    EXPECT_EQ(*back, s);
  }
  EXPECT_FALSE(crypto::Base64Decode("Zm9").ok());
  EXPECT_FALSE(crypto::Base64Decode("Zm9v\n").ok());
  EXPECT_FALSE(crypto::Base64Decode("Z!9v").ok());
}

TEST(FixCryptoTest, HmacMatchesRfc4231TestCase2) {
  const std::string key = "Jefe", data = "what do ya want for nothing?";
  EXPECT_EQ(Hex(crypto::HmacSha256(key, data)),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(Hex(crypto::HmacSha512(key, data)),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
            "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
  EXPECT_EQ(Hex(crypto::Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(VenueAuthTest, BinanceSignatureMatchesThePublishedExample) {
  const std::string payload = BinancePayload("EXAMPLE", "SPOT", "1", "20240627-11:17:25.223");
  EXPECT_EQ(payload, "A\x01" "EXAMPLE\x01SPOT\x01" "1\x01" "20240627-11:17:25.223");
  absl::StatusOr<std::string> sig = crypto::Sign(crypto::KeyType::kEd25519, kBinanceExampleKey,
                                                 payload);
  ASSERT_THAT(sig, IsOk());
  EXPECT_EQ(crypto::Base64Encode(*sig), kBinanceExampleSignature);
  absl::StatusOr<std::string> pub = crypto::PublicKeyOf(kBinanceExampleKey);
  ASSERT_THAT(pub, IsOk());
  absl::StatusOr<bool> ok = crypto::Verify(crypto::KeyType::kEd25519, *pub, payload, *sig);
  ASSERT_THAT(ok, IsOk());
  EXPECT_TRUE(*ok);
  ok = crypto::Verify(crypto::KeyType::kEd25519, *pub, payload + "x", *sig);
  ASSERT_THAT(ok, IsOk());
  EXPECT_FALSE(*ok);
}

TEST(VenueAuthTest, CoinbasePrehashAndSignaturePinned) {
  // Prehash per the Exchange FIX documents: SendingTime, MsgType, MsgSeqNum, SenderCompID,
  // TargetCompID, Password joined by SOH; HMAC-SHA256 with the Base64-decoded secret.
  const std::string pre = CoinbasePrehash("20240627-11:17:25.223", "1", "CBKEY", "Coinbase",
                                          "pass phrase");
  EXPECT_EQ(pre, "20240627-11:17:25.223\x01" "A\x01" "1\x01" "CBKEY\x01" "Coinbase\x01" "pass phrase");
  absl::StatusOr<std::string> key =
      crypto::Base64Decode("Y29pbmJhc2Utc2VjcmV0LTAxMjM0NTY3ODlhYmNkZWY=");
  ASSERT_THAT(key, IsOk());
  EXPECT_EQ(crypto::Base64Encode(crypto::HmacSha256(*key, pre)),
            "ChExrhcMVO/Olnb34kd6E6C/E1C31as2dbsqIoQ1U5o=");
}

TEST(VenueAuthTest, KrakenPasswordPinned) {
  const std::string input = KrakenMessageInput("1", "TDCLIENT", "KRAKEN-TRD", "KRAKENKEY");
  EXPECT_EQ(input, "35=A\x01" "34=1\x01" "49=TDCLIENT\x01" "56=KRAKEN-TRD\x01" "553=KRAKENKEY\x01");
  absl::StatusOr<std::string> pw = KrakenPassword(
      "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==",
      input, "1700000000000");
  ASSERT_THAT(pw, IsOk());
  EXPECT_EQ(*pw,
            "sEc4zihS6RSopp2XVOtG/es/yeD8hdCrNy+yWXbD7jFlUKGYT+bId2dOBW7cWfEa6O/TazxSIhbDC3jceYLqbw==");
  EXPECT_FALSE(KrakenPassword("not base64!", input, "1").ok());
}

TEST(VenueAuthTest, DeribitPasswordPinned) {
  EXPECT_EQ(DeribitPassword("1700000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                            "deribit-secret"),
            "jl96iAnNLKirXwaBZzCn0MC35wFRsWefDNrRKpHouFo=");
}

TEST(VenueAuthTest, BybitRsaSignaturePinned) {
  // The documented example expiry; the key is a test key (tests/data/venues), the signature
  // computed with `openssl dgst -sha256 -sign` (PKCS #1 v1.5 is deterministic).
  EXPECT_EQ(BybitPlaintext(1704096005000), "GET/realtime1704096005000");
  const std::string key =
      ::tapedeck::testing::ReadFile(std::string(TAPEDECK_SOURCE_DIR) +
                                    "/tests/data/venues/rsa_test_key.pem");
  absl::StatusOr<std::string> sig =
      crypto::Sign(crypto::KeyType::kRsa, key, BybitPlaintext(1704096005000));
  ASSERT_THAT(sig, IsOk());
  EXPECT_EQ(crypto::Base64Encode(*sig),
            "jV3dna+vT2n7C3/h/gBS2gVrySatKUMvCciG7rf6wQ7mxxAUHK+othbN+JRMcE/qdZGeYIGtTCcNqkU4n8In"
            "BhrMqbg6p/zzmEGHKrdKicOv1v3XrVicpuTGFI2/7z79Eom3DYeCSKocepwi73Z7eAME+m6NgRc01E8cFj41"
            "9SwkCVXYpo8y0f0djrzfNKHhCHt4w3XNraPKjYh0DGo0yFtGbsfTA4jWrBSAUMd8pg3uwqK1k5KVybyQVtgF"
            "LkJKYAOI4bkaNG7j9QvfXaPWeroyXX0XAXNimqPmk4TLIi1QzAYW/tJECLgZitMcqggqCpq8z6bm3ks8214X"
            "sltJuA==");
  EXPECT_FALSE(crypto::Sign(crypto::KeyType::kEd25519, key, "x").ok());  // an RSA key
}

// A Logon with the header QuickFIX fills before toAdmin.
FIX::Message Logon(const VenueProfile& p, const std::string& sender, const std::string& seq) {
  FIX::Message m;
  FIX::Header& h = m.getHeader();
  h.setField(8, std::string(p.begin_string));
  h.setField(35, "A");
  h.setField(49, sender);
  h.setField(56, std::string(p.default_target_comp_id));
  h.setField(34, seq);
  h.setField(52, "20260205-10:00:00.123");
  m.setField(98, "0");
  m.setField(108, "30");
  if (!p.default_appl_ver_id.empty()) m.setField(1137, std::string(p.default_appl_ver_id));
  return m;
}

Credentials CredentialsFor(const VenueProfile& p) {
  Credentials c;
  c.api_key = p.auth == LogonAuth::kHmacSha256Passphrase ? "CLIENT" : "api-key-1";
  c.secret = crypto::Base64Encode("a secret of thirty-two bytes....");
  c.passphrase = "my passphrase";
  if (p.auth == LogonAuth::kEd25519RawData || p.auth == LogonAuth::kRsaSha256RawData) {
    absl::StatusOr<crypto::KeyPairPem> keys = crypto::GenerateKeyPair(
        p.auth == LogonAuth::kEd25519RawData ? crypto::KeyType::kEd25519 : crypto::KeyType::kRsa);
    EXPECT_THAT(keys, IsOk());
    c.private_key = keys->private_pem;
    c.public_key = keys->public_pem;
  }
  return c;
}

constexpr int64_t kNow = 1'770'285'600'123'000'000;  // 2026-02-05T10:00:00.123Z

TEST(VenueAuthTest, EveryProfileSignsALogonThatItsCheckAccepts) {
  for (const VenueProfile& p : VenueProfiles()) {
    if (p.auth == LogonAuth::kPlain) continue;
    SCOPED_TRACE(std::string(p.name));
    const Credentials c = CredentialsFor(p);
    FIX::Message logon = Logon(p, "CLIENT", "1");
    ASSERT_THAT(SignLogon(p, c, /*cancel_on_disconnect=*/true, kNow, &logon), IsOk());
    LogonState state;
    EXPECT_THAT(VerifyLogon(p, c, logon, kNow, &state), IsOk());
    EXPECT_EQ(LogonRequestsCancelOnDisconnect(p, logon), p.cancel_on_disconnect.tag != 0);
    for (const FixTagValue& f : p.logon_fields) EXPECT_EQ(logon.getField(f.tag), f.value);

    // A wrong secret, passphrase or key is refused; so is a changed header field.
    Credentials wrong = CredentialsFor(p);
    wrong.api_key = c.api_key;
    wrong.secret = crypto::Base64Encode("another secret, also 32 bytes...");
    wrong.passphrase = "other";
    FIX::Message bad = Logon(p, "CLIENT", "1");
    ASSERT_THAT(SignLogon(p, wrong, true, kNow, &bad), IsOk());
    LogonState fresh;
    const absl::Status refused = VerifyLogon(p, c, bad, kNow, &fresh);
    EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied) << refused;
    for (const std::string& secret : c.Secrets()) {
      EXPECT_EQ(std::string(refused.message()).find(secret), std::string::npos);
    }
  }
}

TEST(VenueAuthTest, SignedFieldsCannotBeChangedAfterSigning) {
  for (VenueProfileId id : {VenueProfileId::kBinanceSpot, VenueProfileId::kCoinbaseExchange,
                            VenueProfileId::kKraken}) {
    const VenueProfile& p = GetVenueProfile(id);
    SCOPED_TRACE(std::string(p.name));
    const Credentials c = CredentialsFor(p);
    FIX::Message logon = Logon(p, "CLIENT", "1");
    ASSERT_THAT(SignLogon(p, c, true, kNow, &logon), IsOk());
    logon.getHeader().setField(34, "2");  // signed over MsgSeqNum 1
    LogonState state;
    EXPECT_FALSE(VerifyLogon(p, c, logon, kNow, &state).ok());
  }
}

TEST(VenueAuthTest, NoncesAndExpiriesAreChecked) {
  const VenueProfile& kraken = GetVenueProfile(VenueProfileId::kKraken);
  const Credentials kc = CredentialsFor(kraken);
  FIX::Message k = Logon(kraken, "CLIENT", "1");
  ASSERT_THAT(SignLogon(kraken, kc, true, kNow, &k), IsOk());
  LogonState ks;
  EXPECT_THAT(VerifyLogon(kraken, kc, k, kNow, &ks), IsOk());
  EXPECT_FALSE(VerifyLogon(kraken, kc, k, kNow, &ks).ok()) << "a nonce must increase";
  LogonState late;
  EXPECT_FALSE(VerifyLogon(kraken, kc, k, kNow + 6'000'000'000, &late).ok()) << "5 s window";

  const VenueProfile& deribit = GetVenueProfile(VenueProfileId::kDeribit);
  const Credentials dc = CredentialsFor(deribit);
  FIX::Message d = Logon(deribit, "CLIENT", "1");
  ASSERT_THAT(SignLogon(deribit, dc, false, kNow, &d), IsOk());
  EXPECT_FALSE(LogonRequestsCancelOnDisconnect(deribit, d));
  LogonState ds;
  EXPECT_THAT(VerifyLogon(deribit, dc, d, kNow, &ds), IsOk());
  EXPECT_FALSE(VerifyLogon(deribit, dc, d, kNow, &ds).ok()) << "a RawData nonce is used once";

  const VenueProfile& bybit = GetVenueProfile(VenueProfileId::kBybit);
  const Credentials bc = CredentialsFor(bybit);
  FIX::Message b = Logon(bybit, "CLIENT", "1");
  ASSERT_THAT(SignLogon(bybit, bc, true, kNow, &b), IsOk());
  LogonState bs;
  EXPECT_THAT(VerifyLogon(bybit, bc, b, kNow, &bs), IsOk());
  EXPECT_FALSE(VerifyLogon(bybit, bc, b, kNow + 5'001'000'000, &bs).ok()) << "expired";
}

TEST(VenueAuthTest, CredentialsComeFromTheEnvironmentOrFilesNeverFromTheConfig) {
  const std::string dir = ::tapedeck::testing::MakeTempDir("venue_auth_credentials");
  ::tapedeck::testing::WriteFile(dir + "/secret", "c2VjcmV0\n");
  ::setenv("TAPEDECK_TEST_API_KEY", "key-from-env", 1);
  nlohmann::json j = {{"credentials", {{"api_key_env", "TAPEDECK_TEST_API_KEY"},
                                       {"secret_file", dir + "/secret"}}}};
  ConfigObject obj(&j, "fix");
  Credentials c;
  ASSERT_THAT(ParseCredentials(obj, &c), IsOk());
  EXPECT_EQ(c.api_key, "key-from-env");
  EXPECT_EQ(c.secret, "c2VjcmV0");

  nlohmann::json inline_secret = {{"credentials", {{"secret", "in the config"}}}};
  ConfigObject bad(&inline_secret, "fix");
  const absl::Status s = ParseCredentials(bad, &c);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("fix.credentials.secret"), std::string::npos) << s;
  EXPECT_EQ(std::string(s.message()).find("in the config"), std::string::npos) << s;

  nlohmann::json unset = {{"credentials", {{"secret_env", "TAPEDECK_TEST_UNSET_VARIABLE"}}}};
  ConfigObject missing(&unset, "fix");
  EXPECT_FALSE(ParseCredentials(missing, &c).ok());

  const VenueProfile& binance = GetVenueProfile(VenueProfileId::kBinanceSpot);
  const absl::Status need = CheckInitiatorCredentials(binance, Credentials(), "fix.credentials");
  EXPECT_NE(std::string(need.message()).find("api_key, private_key"), std::string::npos) << need;
}

}  // namespace
}  // namespace tapedeck::adapters
