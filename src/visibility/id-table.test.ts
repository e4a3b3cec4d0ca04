import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../demo/random.ts";
import { hashId } from "./bloom.ts";
import { IdTable } from "./id-table.ts";

/** Random inserts and removals against a Map, with a hash function that collides on purpose. */
function churn(hashOf: (id: string) => number, seed: string, ids = 3000): void {
  const rng = new Rng(seed);
  const table = new IdTable();
  const reference = new Map<string, number>();
  const free: number[] = [];
  let next = 0;
  for (let step = 0; step < 40_000; step++) {
    const id = `s${rng.int(0, ids)}`;
    const h = hashOf(id);
    const slot = reference.get(id);
    if (slot === undefined) {
      assert.equal(table.find(id, h), -1, `${id} found before it was inserted`);
      const s = free.pop() ?? next++;
      table.insert(id, h, s);
      reference.set(id, s);
    } else if (rng.next() < 0.5) {
      assert.equal(table.remove(id, h), slot);
      assert.equal(table.remove(id, h), -1, "removed twice");
      reference.delete(id);
      free.push(slot);
    }
    if (step % 997 === 0)
      for (const [other, s] of reference) assert.equal(table.find(other, hashOf(other)), s, other);
  }
  assert.equal(table.size, reference.size);
  const listed = new Map([...table.entries()]);
  assert.deepEqual(listed, reference);
  const hashes: number[] = [];
  table.forEachHash((h) => hashes.push(h));
  assert.deepEqual(hashes.sort(), [...reference.keys()].map((id) => hashOf(id) >>> 0).sort());
}

test("the id table agrees with a Map through inserts, removals and growth", () => {
  churn(hashId, "id-table-1");
});

test("ids whose hashes collide, fully or in their low bits, are kept apart", () => {
  // 16 distinct hashes for 3,000 ids, then one for 300: long probe runs, equal hashes, wrap-around at the table's end.
  churn((id) => (hashId(id) & 15) * 0x10000001, "id-table-2");
  churn(() => -1, "id-table-3", 300);
});
