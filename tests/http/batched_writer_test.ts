import { assertEquals, assertGreater, assertLessOrEqual, assertMatch } from "@std/assert";
import { BatchedWriter, type WriteSink } from "../../middleware/http/batched_writer.ts";

const decoder = new TextDecoder();

// A sink that records what it is given; `gate` (when set) holds each async
// write until the test releases it, as a full pipe would.
function fakeSink(options: { maxPerWrite?: number; failFirst?: boolean } = {}) {
  const writes: string[] = [];
  const syncWrites: string[] = [];
  let gate: PromiseWithResolvers<void> | undefined;
  let failures = options.failFirst ? 1 : 0;
  const firstWrite = Promise.withResolvers<void>();
  const take = (bytes: Uint8Array, into: string[]) => {
    const n = Math.min(bytes.length, options.maxPerWrite ?? Infinity);
    into.push(decoder.decode(bytes.subarray(0, n)));
    return n;
  };
  const sink: WriteSink = {
    async write(bytes) {
      firstWrite.resolve();
      if (gate) await gate.promise;
      if (failures > 0) {
        failures--;
        throw new Deno.errors.BrokenPipe("closed");
      }
      return take(bytes, writes);
    },
    writeSync: (bytes) => take(bytes, syncWrites),
  };
  return {
    sink,
    writes,
    syncWrites,
    firstWrite: firstWrite.promise,
    block: () => gate = Promise.withResolvers(),
    release: () => gate?.resolve(),
  };
}

Deno.test("lines written together come out in one write, by the timer, in order", async () => {
  const { sink, writes, firstWrite } = fakeSink();
  const writer = new BatchedWriter(sink, { intervalMs: 1 });
  for (let i = 0; i < 100; i++) writer.write(`line ${i}`);
  assertEquals(writes, [], "nothing is written line by line");
  // The writer's timer does not keep the process alive; this bounded one does.
  const guard = setTimeout(() => {}, 10_000);
  await firstWrite;
  clearTimeout(guard);
  await writer.flush();
  assertEquals(writes.length, 1);
  assertEquals(writes[0], Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join(""));
});

Deno.test("a batch that reaches its size is written at once, before the timer", async () => {
  const { sink, writes } = fakeSink();
  const writer = new BatchedWriter(sink, { intervalMs: 60_000, batchBytes: 64 });
  writer.write("a".repeat(40));
  assertEquals(writes.length, 0);
  writer.write("b".repeat(40));
  await Promise.resolve();
  assertEquals(writes, [`${"a".repeat(40)}\n${"b".repeat(40)}\n`]);
  await writer.flush();
});

Deno.test("a sink that takes a few bytes at a time still gets every byte in order", async () => {
  const { sink, writes } = fakeSink({ maxPerWrite: 7 });
  const writer = new BatchedWriter(sink);
  const lines = Array.from({ length: 20 }, (_, i) => `GET /items/${i} 200 0.${i}ms`);
  for (const line of lines) writer.write(line);
  await writer.flush();
  assertEquals(writes.join(""), lines.map((line) => `${line}\n`).join(""));
});

Deno.test("while the sink is blocked, lines past the bound are dropped, counted and reported", async () => {
  const { sink, writes, block, release } = fakeSink();
  block();
  const writer = new BatchedWriter(sink, {
    intervalMs: 1,
    batchBytes: 10,
    maxBytes: 200,
    droppedLine: (count) => `dropped ${count}`,
  });
  writer.write("first line"); // handed to the sink, which blocks
  const sent = 1_000;
  for (let i = 0; i < sent; i++) writer.write(`line ${String(i).padStart(4, "0")}`);
  assertGreater(writer.dropped, 900, "most lines are dropped, not buffered");
  release();
  await writer.flush();
  const out = writes.join("");
  assertLessOrEqual(out.length, 200 + "dropped 1000\n".length, "never more than the bound waits");
  const kept = out.split("\n").filter((line) => line.startsWith("line "));
  const report = /^dropped (\d+)$/m.exec(out);
  assertEquals(kept.length + Number(report?.[1]), sent, "every line is written or counted");
  assertEquals(out.split("\n")[0], "first line");
  assertMatch(out, /line 0000\n/, "the lines kept are the first ones");
  assertEquals(writer.dropped, 0);
});

Deno.test("a failed write does not reach the caller; its lines are counted in a later line", async () => {
  const { sink, writes } = fakeSink({ failFirst: true });
  const writer = new BatchedWriter(sink, { droppedLine: (count) => `dropped ${count}` });
  writer.write("lost one");
  writer.write("lost two");
  await writer.flush();
  assertEquals(writes, ["dropped 2\n"], "the flush reports the lines it could not write");
  assertEquals(writer.dropped, 0);
  writer.write("kept");
  await writer.flush();
  assertEquals(writes, ["dropped 2\n", "kept\n"]);
});

Deno.test("flushSync writes what waits at once, as the process's exit needs", () => {
  const { sink, writes, syncWrites } = fakeSink();
  const writer = new BatchedWriter(sink, { intervalMs: 60_000 });
  writer.write("answered just before exit");
  writer.flushSync();
  assertEquals(syncWrites, ["answered just before exit\n"]);
  assertEquals(writes, []);
  writer.flushSync();
  assertEquals(syncWrites.length, 1, "nothing is written twice");
});

Deno.test("a sink that never blocks gets its batches through writeSync, by the timer", async () => {
  const { sink, writes, syncWrites } = fakeSink();
  const writer = new BatchedWriter(sink, { synchronous: true, intervalMs: 1 });
  writer.write("one");
  writer.write("two");
  assertEquals(syncWrites, [], "nothing is written line by line");
  const guard = setTimeout(() => {}, 10_000);
  while (syncWrites.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  clearTimeout(guard);
  assertEquals(syncWrites, ["one\ntwo\n"]);
  assertEquals(writes, []);
});

Deno.test("whether the sink blocks may be known later: writes turn synchronous then", async () => {
  const { sink, writes, syncWrites } = fakeSink();
  const known = Promise.withResolvers<boolean>();
  const writer = new BatchedWriter(sink, { synchronous: known.promise });
  writer.write("before");
  await writer.flush();
  known.resolve(true);
  await known.promise;
  writer.write("after");
  await writer.flush();
  assertEquals([writes, syncWrites], [["before\n"], ["after\n"]]);
  assertEquals(writer.synchronous, true);
});

Deno.test("a synchronous write that fails is counted and reported by the next one", () => {
  const { sink, syncWrites } = fakeSink();
  let fail = true;
  const failing = {
    ...sink,
    writeSync: (bytes: Uint8Array) => {
      if (fail) throw new Deno.errors.BrokenPipe("closed");
      return sink.writeSync(bytes);
    },
  };
  const writer = new BatchedWriter(failing, {
    synchronous: true,
    droppedLine: (count) => `dropped ${count}`,
  });
  writer.write("lost");
  writer.flushSync();
  assertEquals(writer.dropped, 1);
  fail = false;
  writer.write("kept");
  writer.flushSync();
  assertEquals(syncWrites, ["kept\ndropped 1\n"]);
});

Deno.test("lines built piece by piece: text, non-ASCII text and integers", async () => {
  const { sink, writes } = fakeSink();
  const writer = new BatchedWriter(sink);
  for (const n of [0, 7, 10, 499, 1234567]) {
    if (writer.begin(40)) {
      writer.text("n=");
      writer.int(n);
      writer.text(" é→😀");
      writer.end();
    }
  }
  await writer.flush();
  assertEquals(
    writes.join(""),
    [0, 7, 10, 499, 1234567].map((n) => `n=${n} é→😀\n`).join(""),
  );
});

Deno.test("a line longer than the first buffer grows it; one past the bound is dropped", async () => {
  const { sink, writes } = fakeSink();
  const writer = new BatchedWriter(sink, { maxBytes: 300_000, batchBytes: 1 << 30 });
  const long = "x".repeat(90_000);
  writer.write(long);
  writer.write("y".repeat(200_000)); // 600,000 bytes reserved: past the bound
  assertEquals(writer.dropped, 1);
  writer.write("short");
  await writer.flush();
  assertEquals(writes.join(""), `${long}\nshort\n1 lines dropped\n`);
});
