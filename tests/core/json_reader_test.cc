#include "core/json_reader.h"

#include <string>

#include "core/config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::StatusIs;
using ::testing::HasSubstr;

absl::Status Parse(const std::string& text, nlohmann::json* out,
                   JsonNumbers numbers = JsonNumbers::kConfig) {
  return ParseJsonText(text, "c.json", out, JsonReadOptions{.numbers = numbers});
}

TEST(JsonReaderTest, BuildsTheSameDocumentAsNlohmann) {
  const std::string text =
      R"({"a": [1, -2, 3.5, true, null, "x\u00e9"], "b": {"c": {}, "d": []}, "e": 18446744073709551615})";
  nlohmann::json doc;
  ASSERT_THAT(Parse(text, &doc), IsOk());
  EXPECT_EQ(doc, nlohmann::json::parse(text));
  EXPECT_TRUE(doc["e"].is_number_unsigned());
  ASSERT_THAT(Parse("[]", &doc), IsOk());
  EXPECT_TRUE(doc.is_array());
  ASSERT_THAT(Parse(" 7 ", &doc), IsOk());
  EXPECT_EQ(doc, 7);
}

TEST(JsonReaderTest, SyntaxErrorsNameTheByteLineAndColumn) {
  nlohmann::json doc;
  EXPECT_THAT(Parse("{\n  \"a\": 1,\n  x\n}", &doc),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("c.json: byte 15 (line 3, column 4): invalid JSON: syntax error "
                                 "while parsing object key")));
  EXPECT_THAT(Parse("", &doc), StatusIs(absl::StatusCode::kInvalidArgument,
                                        HasSubstr("c.json: byte 0 (line 1, column 1): invalid JSON")));
  EXPECT_THAT(Parse("{} {}", &doc),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("byte 4 (line 1, column 5)")));
}

// nlohmann throws out_of_range for a number beyond a double; here it is an error like any other,
// under either number rule.
TEST(JsonReaderTest, NumberBeyondADoubleIsAnErrorNotAnException) {
  nlohmann::json doc;
  for (JsonNumbers rule : {JsonNumbers::kConfig, JsonNumbers::kData}) {
    EXPECT_THAT(Parse("{\"seed\": 1e400}", &doc, rule),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("c.json: byte 9 (line 1, column 10): number out of the range "
                                   "of a double: number overflow parsing '1e400'")));
  }
}

TEST(JsonReaderTest, DeepNestingIsRefusedBeforeItCanOverflowTheStack) {
  const std::string deep = std::string(300'000, '[') + std::string(300'000, ']');
  nlohmann::json doc;
  EXPECT_THAT(Parse(deep, &doc, JsonNumbers::kData),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("c.json: byte 64 (line 1, column 65): nested deeper than 64 levels")));
  const std::string ok = std::string(64, '[') + std::string(64, ']');
  EXPECT_THAT(Parse(ok, &doc), IsOk());
}

TEST(JsonReaderTest, DuplicateKeysNameBothPlaces) {
  nlohmann::json doc;
  EXPECT_THAT(Parse("{\"seed\": 1,\n \"x\": {\"seed\": 2},\n \"seed\": 3}", &doc),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("c.json: byte 37 (line 3, column 7): duplicate key \"seed\" (first "
                                 "at byte 6 (line 1, column 7)); each key may appear once in an "
                                 "object")));
  // The same key in different objects is fine.
  EXPECT_THAT(Parse("[{\"a\": 1}, {\"a\": 2}]", &doc), IsOk());
}

TEST(JsonReaderTest, ConfigNumbersRefuseExponentsSayingWhatToWrite) {
  nlohmann::json doc;
  EXPECT_THAT(Parse("{\"account\": {\"initial_cash\": 1e3}}", &doc),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("c.json: byte 29 (line 1, column 30): 1e3: exponent notation is "
                                 "not accepted in configs; write the number out (1000)")));
  EXPECT_THAT(Parse("[2.5E-4]", &doc),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("(0.00025)")));
  // Data files that tapedeck writes may print doubles with an exponent.
  ASSERT_THAT(Parse("[1e-05]", &doc, JsonNumbers::kData), IsOk());
  EXPECT_EQ(doc[0].get<double>(), 1e-05);
}

// A config number must mean exactly what its text says: text that a double cannot hold is
// refused, with the value it would have become and what to write instead.
TEST(JsonReaderTest, ConfigNumbersThatADoubleCannotHoldAreRefused) {
  nlohmann::json doc;
  EXPECT_THAT(Parse("{\"x\": 12345678.123456789}", &doc),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("12345678.123456789: more digits than a JSON number holds "
                                 "exactly (it would be read as 12345678.12345679); write it as a "
                                 "string, \"12345678.123456789\"")));
  EXPECT_THAT(Parse("[1234567890.12345678]", &doc),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1234567890.1234567")));
  EXPECT_THAT(Parse("[99999999999999999999]", &doc),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("100000000000000000000")));
  // What a double holds exactly passes, however written.
  for (const char* fine : {"[0.0002]", "[12345678.12345679]", "[0.30000000000000004]",
                           "[-0.0]", "[100.000]", "[0.00001]", "[123456789012345.6]"}) {
    EXPECT_THAT(Parse(fine, &doc), IsOk()) << fine;
  }
}

// Numbers that pass the config rule are read by ConfigObject::Decimal exactly from their text.
TEST(JsonReaderTest, DecimalsReadFromConfigNumbersAreExact) {
  nlohmann::json doc;
  ASSERT_THAT(Parse(R"({"a": 0.00001, "b": 12345678.12345679, "c": 0.30000000000000004,
                        "d": "12345678.123456789", "e": "1e3"})",
                    &doc),
              IsOk());
  ConfigObject o(&doc, "");
  int64_t v = 0;
  ASSERT_THAT(o.Decimal("a", 8, &v), IsOk());
  EXPECT_EQ(v, 1000);
  ASSERT_THAT(o.Decimal("b", 8, &v), IsOk());
  EXPECT_EQ(v, 1234567812345679);
  ASSERT_THAT(o.Decimal("c", 17, &v), IsOk());
  EXPECT_EQ(v, 30'000'000'000'000'004);
  ASSERT_THAT(o.Decimal("d", 9, &v), IsOk());
  EXPECT_EQ(v, 12345678123456789);
  EXPECT_THAT(o.Decimal("e", 8, &v),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("e: '1e3': exponent notation is not accepted here; write the "
                                 "number out (1000)")));
}

TEST(JsonReaderTest, ConfigIntegersAndDoublesCheckTheirRange) {
  nlohmann::json doc;
  ASSERT_THAT(Parse(R"({"seed": 9223372036854775808, "r": "0.1234567890123456789",
                        "bad": "1e-3", "ok": 0.5})",
                    &doc),
              IsOk());
  ConfigObject o(&doc, "");
  int64_t seed = 0;
  EXPECT_THAT(o.Int("seed", &seed),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("seed: integer 9223372036854775808 is out of range")));
  double r = 0;
  ASSERT_THAT(o.Double("r", &r), IsOk());
  EXPECT_DOUBLE_EQ(r, 0.1234567890123456789);
  EXPECT_THAT(o.Double("bad", &r), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("bad: '1e-3': exponent notation")));
  ASSERT_THAT(o.Double("ok", &r), IsOk());
  EXPECT_EQ(r, 0.5);
}

TEST(JsonReaderTest, FilesAreNamedInErrors) {
  nlohmann::json doc;
  EXPECT_THAT(ReadJsonFile("/nonexistent/x.json", &doc),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("/nonexistent/x.json: cannot open")));
  EXPECT_THAT(ReadJsonFile("/tmp", &doc),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("/tmp: is a directory")));
}

}  // namespace
}  // namespace tapedeck
