import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { LEXICON_DIR, LexiconError, loadLexicons, parseLexicon } from "./lexicon.ts";

const minimal = () => ({
  lang: "xx",
  name: "Test",
  script: "latin",
  slots: { kill: ["kill*", "wipe out"], group: ["farmers"] },
  patterns: [{ id: "xx.a", category: "incitement", weight: 0.9, pattern: "{kill} all {group}" }],
  counters: [{ id: "xx.n", effect: "negate", pattern: "not" }],
});

/** The LexiconError message for a file changed by `edit`. */
function rejection(edit: (f: ReturnType<typeof minimal> & Record<string, unknown>) => void): string {
  const f = minimal() as ReturnType<typeof minimal> & Record<string, unknown>;
  edit(f);
  try {
    parseLexicon(f, "xx.json");
  } catch (e) {
    assert.ok(e instanceof LexiconError, `not a LexiconError: ${e}`);
    assert.equal(e.code, "invalid_lexicon");
    return e.message;
  }
  assert.fail("the file was accepted");
}

describe("lexicon files", () => {
  it("loads the shipped lexicons, one per language/script", () => {
    const lexicons = loadLexicons();
    assert.deepEqual(lexicons.map((l) => l.lang).sort(), ["en", "hi", "hi-Latn", "pa"]);
    assert.deepEqual(lexicons.map((l) => l.script).sort(), ["deva", "guru", "latin", "latin"]);
    for (const l of lexicons) {
      const categories = new Set(l.patterns.map((p) => p.category));
      assert.deepEqual([...categories].sort(), ["abuse", "incitement", "threat", "wish_of_harm"], l.lang);
      assert.ok(
        l.counters.some((c) => c.effect === "negate"),
        `${l.lang} has a negation`,
      );
      assert.ok(
        l.counters.some((c) => c.effect === "dampen"),
        `${l.lang} has news/counter-speech dampeners`,
      );
    }
  });

  it("accepts a minimal valid file and compiles slots into alternatives", () => {
    const l = parseLexicon(minimal(), "xx.json");
    const el = l.patterns[0]!.elements![0]!;
    assert.equal(el.kind, "words");
    if (el.kind === "words") {
      assert.deepEqual(el.alts, [
        [{ text: "kil", prefix: true }],
        [
          { text: "wipe", prefix: false },
          { text: "out", prefix: false },
        ],
      ]);
    }
  });

  it("names the entry and the unknown slot", () => {
    const msg = rejection((f) => {
      f.patterns[0]!.pattern = "{kil} all {group}";
    });
    assert.match(
      msg,
      /^xx\.json: patterns\.0\.pattern \(xx\.a\): unknown slot '\{kil\}' \(slots: kill, group\)$/,
    );
  });

  it("names the field for schema errors", () => {
    assert.match(
      rejection((f) => {
        (f.patterns[0] as Record<string, unknown>).category = "violence";
      }),
      /xx\.json: patterns\.0\.category: must be one of incitement, threat, wish_of_harm, abuse/,
    );
    assert.match(
      rejection((f) => {
        f.patterns[0]!.weight = 1.5;
      }),
      /patterns\.0\.weight: must be at most 1/,
    );
    assert.match(
      rejection((f) => {
        (f.patterns[0] as Record<string, unknown>).regex = "kil";
      }),
      /patterns\.0: needs exactly one of 'pattern' or 'regex'/,
    );
    assert.match(
      rejection((f) => {
        (f.counters[0] as Record<string, unknown>).effect = "dampen";
      }),
      /counters\.0\.factor: a 'dampen' counter needs a 'factor'/,
    );
    assert.match(
      rejection((f) => {
        f.colour = "red";
      }),
      /xx\.json: unknown field\(s\) 'colour'/,
    );
    assert.match(
      rejection((f) => {
        f.script = "cyrillic";
      }),
      /script: must be 'latin', 'deva' or 'guru'/,
    );
  });

  it("rejects bad pattern syntax and regexes, naming the entry", () => {
    assert.match(
      rejection((f) => {
        f.patterns[0]!.pattern = "~2 {kill}";
      }),
      /patterns\.0\.pattern \(xx\.a\): a pattern cannot start with a gap or an optional element/,
    );
    assert.match(
      rejection((f) => {
        f.patterns[0]!.pattern = "{kill} ~9 {group}";
      }),
      /gap '~9' must be ~1 to ~6/,
    );
    assert.match(
      rejection((f) => {
        f.patterns.push({ id: "xx.r", category: "threat", weight: 0.5, regex: "(kil" } as never);
      }),
      /patterns\.1\.regex \(xx\.r\): not a valid regular expression/,
    );
    assert.match(
      rejection((f) => {
        f.patterns.push({ id: "xx.r", category: "threat", weight: 0.5, regex: "a*" } as never);
      }),
      /the regular expression matches the empty string/,
    );
    assert.match(
      rejection((f) => {
        f.slots.group = ["!!!"];
      }),
      /slots\.group\.0: '!!!' normalises to nothing/,
    );
    assert.match(
      rejection((f) => {
        f.counters[0]!.id = "xx.a";
      }),
      /counters\.0\.id: 'xx\.a' is already used by patterns\.0/,
    );
  });

  describe("loadLexicons on a folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-lex-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    let n = 0;
    const folder = (files: Record<string, string>) => {
      const d = join(dir, String(n++));
      mkdirSync(d);
      for (const [name, body] of Object.entries(files)) writeFileSync(join(d, name), body);
      return d;
    };

    it("adding a language adds a file", () => {
      const d = folder({ "xx.json": JSON.stringify(minimal()) });
      copyFileSync(join(LEXICON_DIR, "en.json"), join(d, "en.json"));
      assert.deepEqual(
        loadLexicons(d).map((l) => l.lang),
        ["en", "xx"],
      );
    });

    it("rejects invalid JSON, a misnamed file and an id used in two files", () => {
      assert.throws(
        () => loadLexicons(folder({ "xx.json": "{ nope" })),
        /^LexiconError: xx\.json: not valid JSON/,
      );
      assert.throws(
        () => loadLexicons(folder({ "yy.json": JSON.stringify(minimal()) })),
        /yy\.json: holds the lexicon for 'xx', so it must be named xx\.json/,
      );
      const other = { ...minimal(), lang: "zz" };
      assert.throws(
        () =>
          loadLexicons(folder({ "xx.json": JSON.stringify(minimal()), "zz.json": JSON.stringify(other) })),
        /zz\.json: id 'xx\.a' is already used in xx\.json/,
      );
      assert.throws(() => loadLexicons(folder({})), /no lexicon files/);
    });
  });
});
