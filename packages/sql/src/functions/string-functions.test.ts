import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SqlValue } from "../data/values.ts";
import { LogicalTypes as T } from "../types/type-factory.ts";
import { callFunction, typed } from "./testing/call-function.ts";

const s = (value: SqlValue) => typed(value, T.string());
const i = (value: SqlValue) => typed(value, T.int());
const call = (name: string, ...operands: ReturnType<typeof typed>[]) => callFunction(name, operands).value;

describe("string functions", () => {
  it("concatenates, with NULL semantics per function", () => {
    assert.equal(call("||", s("a"), s("b")), "ab");
    assert.equal(call("||", s("a"), s(null)), null);
    assert.equal(call("CONCAT", s("a"), s("b"), s("c")), "abc");
    assert.equal(call("CONCAT", s("a"), s(null)), null);
    assert.equal(call("CONCAT_WS", s("-"), s("a"), s(null), s("c")), "a-c");
    assert.equal(call("CONCAT_WS", s(null), s("a")), null);
  });

  it("measures, cases and trims", () => {
    assert.equal(call("CHAR_LENGTH", s("héllo")), 5);
    assert.equal(call("UPPER", s("aBc")), "ABC");
    assert.equal(call("LOWER", s("aBc")), "abc");
    assert.equal(
      call("TRIM", typed("BOTH", T.string(), true), typed(" ", T.string(), true), s("  x  ")),
      "x",
    );
    assert.equal(
      call("TRIM", typed("LEADING", T.string(), true), typed("x", T.string(), true), s("xxaxx")),
      "axx",
    );
    assert.equal(
      call("TRIM", typed("TRAILING", T.string(), true), typed("x", T.string(), true), s("xxaxx")),
      "xxa",
    );
    assert.equal(call("LTRIM", s("  a ")), "a ");
    assert.equal(call("RTRIM", s("  a ")), "  a");
    assert.equal(call("INITCAP", s("hello wORLD-foo")), "Hello World-Foo");
  });

  it("cuts substrings like Flink", () => {
    assert.equal(call("SUBSTRING", s("hello"), i(2), i(3)), "ell");
    assert.equal(call("SUBSTRING", s("hello"), i(2)), "ello");
    assert.equal(call("SUBSTRING", s("hello"), i(0), i(2)), "he");
    assert.equal(call("SUBSTRING", s("hello"), i(-3), i(2)), "ll");
    assert.equal(call("SUBSTRING", s("hello"), i(9)), "");
    assert.equal(call("SUBSTR", s("hello"), i(2), i(-1)), "");
    assert.equal(call("LEFT", s("hello"), i(2)), "he");
    assert.equal(call("RIGHT", s("hello"), i(2)), "lo");
    assert.equal(call("OVERLAY", s("abcdef"), s("XY"), i(2), i(3)), "aXYef");
    assert.equal(call("OVERLAY", s("abcdef"), s("XY"), i(2)), "aXYdef");
  });

  it("searches and replaces", () => {
    assert.equal(call("POSITION", s("l"), s("hello")), 3);
    assert.equal(call("LOCATE", s("l"), s("hello"), i(4)), 4);
    assert.equal(call("LOCATE", s("z"), s("hello")), 0);
    assert.equal(call("INSTR", s("hello"), s("lo")), 4);
    assert.equal(call("REPLACE", s("a-b-c"), s("-"), s("+")), "a+b+c");
    assert.equal(call("TRANSLATE", s("abc"), s("ab"), s("x")), "xc");
  });

  it("pads, repeats, reverses and splits", () => {
    assert.equal(call("LPAD", s("hi"), i(5), s("?")), "???hi");
    assert.equal(call("LPAD", s("hello"), i(2), s("?")), "he");
    assert.equal(call("RPAD", s("hi"), i(5), s("ab")), "hiaba");
    assert.equal(call("LPAD", s("hi"), i(-1), s("?")), null);
    assert.equal(call("REPEAT", s("ab"), i(3)), "ababab");
    assert.equal(call("REVERSE", s("abc")), "cba");
    assert.equal(call("SPLIT_INDEX", s("a,b,c"), s(","), i(1)), "b");
    assert.equal(call("SPLIT_INDEX", s("a,b,c"), s(","), i(5)), null);
    assert.deepEqual(call("SPLIT", s("a,b"), s(",")), ["a", "b"]);
  });

  it("parses URLs and key-value strings", () => {
    const url = s("https://user@www.example.com:8080/path/p.html?k1=v1&k2=v2#frag");
    assert.equal(call("PARSE_URL", url, s("HOST")), "www.example.com");
    assert.equal(call("PARSE_URL", url, s("PATH")), "/path/p.html");
    assert.equal(call("PARSE_URL", url, s("QUERY")), "k1=v1&k2=v2");
    assert.equal(call("PARSE_URL", url, s("QUERY"), s("k2")), "v2");
    assert.equal(call("PARSE_URL", url, s("REF")), "frag");
    assert.equal(call("PARSE_URL", url, s("PROTOCOL")), "https");
    assert.deepEqual(
      call("STR_TO_MAP", s("a=1,b=2")),
      new Map([
        ["a", "1"],
        ["b", "2"],
      ]),
    );
    assert.deepEqual(
      call("STR_TO_MAP", s("a:1;b:2"), s(";"), s(":")),
      new Map([
        ["a", "1"],
        ["b", "2"],
      ]),
    );
  });

  it("hashes and encodes", () => {
    assert.equal(call("MD5", s("abc")), "900150983cd24fb0d6963f7d28e17f72");
    assert.equal(call("SHA1", s("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
    assert.equal(
      call("SHA2", s("abc"), i(256)),
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    assert.equal(call("SHA2", s("abc"), i(7)), null);
    assert.equal(call("TO_BASE64", s("hello")), "aGVsbG8=");
    assert.equal(call("FROM_BASE64", s("aGk=")), "hi");
    assert.equal(call("IS_ALPHA", s("abc")), true);
    assert.equal(call("IS_ALPHA", s("ab1")), false);
    assert.equal(call("IS_DIGIT", s("123")), true);
    assert.equal(call("IS_DIGIT", s("")), false);
    assert.equal(call("IS_DECIMAL", s("1.5")), true);
    assert.equal(call("IS_DECIMAL", s("x1")), false);
    assert.equal(call("IS_DECIMAL", s(null)), false);
    assert.equal(call("STARTSWITH", s("hello"), s("he")), true);
    assert.equal(call("ENDSWITH", s("hello"), s("he")), false);
    assert.equal(call("URL_ENCODE", s("a b&c=d/é")), "a+b%26c%3Dd%2F%C3%A9");
    assert.equal(call("URL_DECODE", s("a+b%26c")), "a b&c");
    assert.equal(call("URL_DECODE", s("%E0%A4%A")), null);
    assert.deepEqual(call("ENCODE", s("hé"), s("UTF-8")), new Uint8Array([104, 195, 169]));
    assert.equal(call("DECODE", typed(new Uint8Array([104, 195, 169]), T.bytes()), s("UTF-8")), "hé");
    assert.equal(call("ASCII", s("A")), 65);
    assert.equal(call("CHR", i(65)), "A");
    assert.match(
      call("UUID") as string,
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it("matches LIKE and SIMILAR TO patterns", () => {
    assert.equal(call("LIKE", s("hello"), s("h%o")), true);
    assert.equal(call("LIKE", s("hello"), s("h_llo")), true);
    assert.equal(call("LIKE", s("hello"), s("h_lo")), false);
    assert.equal(call("LIKE", s("a.c"), s("a.c")), true);
    assert.equal(call("LIKE", s("abc"), s("a.c")), false);
    assert.equal(call("LIKE", s("50%"), s("50!%"), s("!")), true);
    assert.equal(call("LIKE", s("500"), s("50!%"), s("!")), false);
    assert.equal(call("LIKE", s(null), s("%")), null);
    assert.equal(call("SIMILAR TO", s("abc"), s("(a|x)b%")), true);
    assert.equal(call("SIMILAR TO", s("xbc"), s("a%")), false);
  });

  it("runs Java-style regular expressions", () => {
    assert.equal(call("REGEXP", s("hello42"), s("[0-9]+")), true);
    assert.equal(call("REGEXP", s("hello"), s("^[0-9]+$")), false);
    assert.equal(call("REGEXP_REPLACE", s("a1b22c"), s("[0-9]+"), s("#")), "a#b#c");
    assert.equal(call("REGEXP_REPLACE", s("ab"), s("(a)(b)"), s("$2$1")), "ba");
    assert.equal(call("REGEXP_EXTRACT", s("foothebar"), s("foo(.*?)(bar)"), i(2)), "bar");
    assert.equal(call("REGEXP_EXTRACT", s("foothebar"), s("foo(.*?)(bar)")), "the");
    assert.equal(call("REGEXP_EXTRACT", s("foothebar"), s("foo(.*?)(bar)"), i(3)), null);
    assert.equal(call("REGEXP_EXTRACT", s("x"), s("(")), null);
    assert.deepEqual(call("REGEXP_EXTRACT_ALL", s("a1b2"), s("([a-z])([0-9])"), i(2)), ["1", "2"]);
    assert.equal(call("REGEXP_COUNT", s("a1b2c3"), s("[0-9]")), 3);
    assert.equal(call("REGEXP_REPLACE", s("xFoo"), s("(?i)FOO"), s("y")), "xy");
    assert.equal(call("REGEXP", s("a\nb"), s("(?s)a.b")), true);
  });
});
