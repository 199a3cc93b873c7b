// sql.js (SQLite compiled to WebAssembly): an in-memory database's B-tree pages live in
// SQLite's page cache, allocated by the module's malloc inside its WebAssembly linear memory.
// V8 reserves that memory once as one anonymous mapping (and grows it in place), outside the V8
// heap and outside glibc malloc: MADV_COLLAPSE can put it on huge pages, and
// GLIBC_TUNABLES=glibc.malloc.hugetlb=1 cannot (V8 maps it itself). A point query by rowid
// descends the table's B-tree (interior pages, then the leaf), each page a 4 KiB allocation at
// its own address.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import initSqlJs, { type Database, type Statement } from 'sql.js';
import { residency } from '../../../../lib/memory/index.js';
import { hotColdIndex, HOT_FRACTION, SeededRandom } from '../../../common/seeded.js';
import { opsFor } from '../../../common/timed-loop.js';
import { UnitSet } from '../../../common/unit-ranges.js';
import type { HotRange, Scale, Workload } from '../../workload.js';

/**
 * Rows per scale, each with a blob of 256 to 1279 bytes (about five to a 4 KiB page): 1 M rows
 * filled 900 MiB of linear memory in 11 to 24 s on the busy build machine (SQLite inserts
 * 40-80 MiB/s in WebAssembly there), so 900 k rows, about 810 MiB; 40 k rows, 35 MiB in about
 * 1.5 s.
 */
const ROWS: Record<Scale, number> = { quick: 40_000, full: 900_000 };
const SEED = 0x5e1ec7;

interface State {
  db: Database;
  lookup: Statement;
  rows: number;
  rng: SeededRandom;
  hot: HotRange[];
}
let state: State | null = null;

/**
 * The part of the WebAssembly JS API used here. This project compiles against ES2022 without
 * the DOM library, where TypeScript declares the WebAssembly namespace; Node has it at run time.
 */
interface LinearMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  Instance: new (module: object, imports: unknown) => { exports: Record<string, unknown> };
  Memory: abstract new (...args: never[]) => LinearMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/**
 * Instantiates sql.js through Emscripten's `instantiateWasm` hook (a documented Module option
 * that sql.js passes through) so that the module's exported linear memory is at hand: sql.js
 * does not expose it otherwise.
 */
async function openSqlJs(): Promise<{ SQL: initSqlJs.SqlJsStatic; memory: LinearMemory }> {
  const require = createRequire(import.meta.url);
  const compiled = await wasm.compile(readFileSync(require.resolve('sql.js/dist/sql-wasm.wasm')));
  let memory: LinearMemory | null = null;
  const SQL = await initSqlJs({
    instantiateWasm(imports, done) {
      const instance = new wasm.Instance(compiled, imports);
      memory = Object.values(instance.exports).find((e): e is LinearMemory => e instanceof wasm.Memory) ?? null;
      done(instance as never);
      return instance.exports as never;
    },
  });
  if (memory === null) throw new Error('sql.js: its WebAssembly module exports no memory');
  return { SQL, memory };
}

/** The 2 MiB units of linear memory that hold at least one resident page. */
async function residentUnits(memory: LinearMemory): Promise<UnitSet> {
  const units = new UnitSet();
  for (const u of await residency(memory.buffer)) if (u.residentPages > 0) units.add(u.address, u.units * 2 * 1024 * 1024);
  return units;
}

/** Inserts rows [from, to) with one statement, the loop running inside SQLite (no call from JS per row). */
function insertRows(db: Database, from: number, to: number): void {
  // Blob lengths vary with the row (a multiplicative hash of its id), so rows do not line up with pages.
  db.run(
    `WITH RECURSIVE r(id) AS (SELECT ${from} UNION ALL SELECT id + 1 FROM r WHERE id < ${to - 1})
     INSERT INTO mem.kv SELECT id, zeroblob(256 + (id * 2654435761) % 1024) FROM r`,
  );
}

const workload: Workload = {
  name: 'sql-js',
  title: 'sql.js: point queries by rowid on an in-memory SQLite table in WebAssembly memory, 90% on a quarter of the rows',
  unit: 'queries',
  tunerCanHelp: true,
  advisor: true,
  longWarmup: true,

  async setup(scale) {
    const { SQL, memory } = await openSqlJs();
    const db = new SQL.Database();
    // sql.js keeps its main database as a file in Emscripten's in-memory file system, whose
    // bytes are JS ArrayBuffers copied into the page cache on each cache miss; an attached
    // ':memory:' database has no file, so its pages live only in SQLite's page cache.
    db.run("ATTACH DATABASE ':memory:' AS mem");
    db.run('CREATE TABLE mem.kv (id INTEGER PRIMARY KEY, v BLOB NOT NULL)');
    const rows = ROWS[scale];
    const hotRows = Math.ceil(rows * HOT_FRACTION);
    // The hot rows are inserted first, alone: the pages that hold them are then the linear
    // memory's resident pages (with the runtime's own data and stack, also used by every query).
    insertRows(db, 0, hotRows);
    const hot = (await residentUnits(memory)).ranges();
    insertRows(db, hotRows, rows);
    state = { db, lookup: db.prepare('SELECT length(v) FROM mem.kv WHERE id = ?'), rows, rng: new SeededRandom(SEED), hot };
  },

  run(ms) {
    const { lookup, rows, rng } = state!;
    const pick = hotColdIndex; // a local binding: vite-node reads imported functions through a getter per call
    const query = () => {
      lookup.bind([pick(rng, rows)]);
      if (!lookup.step()) throw new Error('sql-js: a row that was inserted is missing');
      const bytes = lookup.get()[0] as number;
      lookup.reset();
      return bytes;
    };
    return { ops: opsFor(ms, 16, query, 'sql-js: queries returned no data') };
  },

  hotRanges() {
    return state!.hot;
  },
};

export default workload;
