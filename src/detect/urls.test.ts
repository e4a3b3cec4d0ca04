import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Rng } from "../demo/random.ts";
import { canonicalUrl, parsedCanonicalUrl } from "./urls.ts";

describe("canonical URLs", () => {
  it("drops tracking parameters, www, fragments and trailing slashes, and sorts the rest", () => {
    assert.equal(
      canonicalUrl("https://WWW.Example.com/a/b/?utm_source=x&b=2&a=1#top"),
      "example.com/a/b?a=1&b=2",
    );
    assert.equal(canonicalUrl("http://example.com"), "example.com");
    assert.equal(canonicalUrl("example.com/x"), "example.com/x");
    assert.equal(canonicalUrl("https://127.1/x"), "127.0.0.1/x");
    assert.equal(canonicalUrl("https://"), "");
  });

  it("gives the URL parser's result on every input, plain or not", () => {
    const rng = new Rng("urls");
    const schemes = [
      "http://",
      "https://",
      "HTTPS://",
      "hTTp://",
      "https://",
      "http://",
      "ftp://",
      "",
      "https:///",
      "http:\\\\",
    ];
    const hosts = ["www.", "WWW.", "Example", "site", "a-b", "b1", ".com", ".org", "-"];
    const oddHosts = ["xn--bcher-kva", "1", "0x7f", "42", ".1", ".", "..", "1.2.3.4"];
    const odd = ["@", ":8080", ":443", "\\", "%20", " ", "\t", "'", '"', "<", "^", "|", "é", "\u200b"];
    const paths = ["/", "//", "/a", "/B~c", "/x(y)", "/a.b", "/p;q", "/:@!$"];
    const oddPaths = ["/./", "/../", "/.well-known", "/.", "/%2e"];
    const queries = [
      "q=1",
      "utm_source=feed",
      "fbclid=abc",
      "Ref=x",
      "si=9",
      "z=",
      "a",
      "=v",
      "b=2",
      "a=1",
      "",
    ];
    const oddQueries = ["x=1=2", "a+b=c", "%41=1", "q=é"];
    for (let i = 0; i < 20_000; i++) {
      let raw = rng.pick(schemes);
      for (let k = rng.int(1, 4); k > 0; k--) raw += rng.chance(0.9) ? rng.pick(hosts) : rng.pick(oddHosts);
      if (rng.chance(0.05)) raw += rng.pick(odd);
      for (let k = rng.int(0, 3); k > 0; k--) raw += rng.chance(0.9) ? rng.pick(paths) : rng.pick(oddPaths);
      if (rng.chance(0.05)) raw += rng.pick(odd);
      if (rng.chance(0.6)) {
        raw += "?";
        for (let k = rng.int(0, 4); k > 0; k--)
          raw += `${rng.chance(0.95) ? rng.pick(queries) : rng.pick(oddQueries)}${rng.pick(["&", "&", "&&", "*"])}`;
      }
      if (rng.chance(0.05)) raw += rng.pick(odd);
      if (rng.chance(0.2)) raw += `#${rng.pick(oddPaths)}`;
      assert.equal(canonicalUrl(raw), parsedCanonicalUrl(raw), raw);
    }
    for (const raw of [
      "https://news.example/story/01412772?utm_source=n5169",
      "https://blogspot.example/riranne/604882",
      "http://a.b/c?d=1&c=2&d=0",
      "https://a.b/c?x=1=2",
      "https://a.b./c",
      "https://a.1/c",
      "https://1a.b/c",
    ])
      assert.equal(canonicalUrl(raw), parsedCanonicalUrl(raw), raw);
  });
});
