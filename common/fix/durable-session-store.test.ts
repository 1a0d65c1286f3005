import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DurableSessionStore } from './durable-session-store.ts';
import { FixMsgStoreRecord, SessionId } from './jspurefix.ts';
import { parseSeqNums, readSeqNumFile, writeSeqNumFile } from './seqnum-file.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const id = new SessionId('FIX.4.4', 'ALICE', 'COUNTER');

function setup(reserve = 10) {
  const dir = mkdtempSync(join(tmpdir(), 'aurum-store-'));
  dirs.push(dir);
  const seqnums = id.getFilePath(dir, 'seqnums');
  const open = async () => {
    const s = new DurableSessionStore(id, dir, { reserve, targetFlushMs: 20, durable: false });
    await s.initialize();
    return s;
  };
  const onDisk = () => {
    const f = readSeqNumFile(seqnums);
    if (f.kind !== 'ok') throw new Error(`seqnums ${f.kind}`);
    return f;
  };
  return { dir, seqnums, open, onDisk };
}

/** What jspurefix does in `txOnEncoded` for message `seq`: store it, then advance the sender number. */
async function sent(s: DurableSessionStore, seq: number, msgType = '0', possDup = false): Promise<void> {
  const encoded = `8=FIX.4.4|9=60|35=${msgType}|34=${seq}|${possDup ? '43=Y|' : ''}49=ALICE|52=20260101-00:00:00.000|56=COUNTER|10=000|`;
  const put = s.put(new FixMsgStoreRecord(msgType, new Date(), seq, undefined, encoded));
  const advance = s.setSenderSeqNum(seq + 1);
  await Promise.all([put, advance]);
}

describe('DurableSessionStore', () => {
  it('a new session starts at 1/1 and reserves ahead before anything is sent', async () => {
    const { open, onDisk } = setup();
    const s = await open();
    expect([s.senderSeqNum, s.targetSeqNum]).toEqual([1, 1]);
    // The Logon (1) may reach the peer before any further write: the file must already be past it.
    expect(onDisk().sender).toBeGreaterThan(1);
  });

  it('at every instant the file holds a sender number above anything that may have reached the peer', async () => {
    const { open, onDisk } = setup(7);
    const s = await open();
    for (let seq = 1; seq <= 100; seq++) {
      // Message `seq + 1` may hit the socket before its own `encoded` handler runs: it must be covered.
      await sent(s, seq);
      expect(onDisk().sender).toBeGreaterThan(seq + 1);
    }
  });

  it('a restart after a crash at any point continues above what was sent, never lower and never at 1', async () => {
    const { open } = setup(5);
    let s = await open();
    let highestSent = 0;
    for (let round = 0; round < 20; round++) {
      const n = 1 + ((round * 7) % 13); // a few messages, then "SIGKILL": the instance is just dropped
      for (let i = 0; i < n; i++) await sent(s, ++highestSent);
      s = await open();
      expect(s.senderSeqNum).toBeGreaterThan(highestSent);
      highestSent = s.senderSeqNum - 1; // the restarted side numbers on from here
    }
  });

  it('reloads what was written: the sender reservation and the target number', async () => {
    const { open, onDisk } = setup(10);
    const s = await open();
    for (let seq = 1; seq <= 25; seq++) await sent(s, seq);
    for (let t = 2; t <= 40; t++) await s.setTargetSeqNum(t);
    await s.dispose();
    expect(onDisk()).toMatchObject({ target: 40, lagging: false });
    const again = await open();
    expect(again.targetSeqNum).toBe(40);
    expect(again.senderSeqNum).toBe(onDisk().sender - 10); // started at the old reservation, reserved anew
    expect(again.senderSeqNum).toBeGreaterThan(25);
    expect(again.senderSeqNum).toBeLessThanOrEqual(26 + 10);
    // Stored messages are still there for resend.
    expect((await again.getRange(1, 25)).map((r) => r.seqNum)).toEqual([...Array(25)].map((_, i) => i + 1));
  });

  it('writes the target number late (on a timer), never ahead of what the application handled', async () => {
    const { open, onDisk } = setup();
    const s = await open();
    await s.setTargetSeqNum(2);
    // jspurefix advances the target before the handler runs: in that same turn the file still says 1.
    expect(onDisk().target).toBe(1);
    await new Promise((r) => setTimeout(r, 60));
    expect(onDisk().target).toBe(2);
  });

  it('a gap fill or resent message (old number, PossDupFlag=Y) neither lowers the sender nor replaces the original', async () => {
    const { open, onDisk } = setup(10);
    const s = await open();
    for (let seq = 1; seq <= 30; seq++) await sent(s, seq, seq === 5 ? 'D' : '0');
    const before = onDisk().sender;
    await sent(s, 5, '4', true);
    expect(s.senderSeqNum).toBe(31);
    expect(onDisk().sender).toBe(before);
    expect((await s.get(5))?.msgType).toBe('D');
  });

  it('a torn or truncated seqnums file can never produce a lower number', async () => {
    const { dir, seqnums, open } = setup(10);
    const s = await open();
    for (let seq = 1; seq <= 42; seq++) await sent(s, seq);
    await new Promise((r) => setTimeout(r, 50)); // the header lines are appended asynchronously
    const header = id.getFilePath(dir, 'header');
    expect(readFileSync(header, 'utf8')).toContain('42,');
    // What an in-place rewrite killed halfway leaves behind: each must restart above 42, asking for all.
    for (const torn of ['', '   ', '                  43 :', '4', '43 : ', 'garbage\n']) {
      writeFileSync(seqnums, torn);
      const r = await open();
      expect(r.senderSeqNum, JSON.stringify(torn)).toBeGreaterThan(42);
      expect(r.targetSeqNum).toBe(1);
    }
    // A file lost altogether next to stored messages: the same.
    rmSync(seqnums);
    expect((await open()).senderSeqNum).toBeGreaterThan(42);
  });

  it('a crash during our own write leaves the previous file whole (only the temp file is partial)', async () => {
    const { seqnums, open, onDisk } = setup(10);
    const s = await open();
    for (let seq = 1; seq <= 12; seq++) await sent(s, seq);
    const before = onDisk();
    writeFileSync(`${seqnums}.tmp`, '9'); // killed between write and rename
    const r = await open();
    expect(r.senderSeqNum).toBe(before.sender);
  });

  it('a file written by jspurefix’s own store (it may lag) makes the sender skip one block ahead', async () => {
    const { seqnums, open } = setup(10);
    writeFileSync(seqnums, `${'17'.padStart(20)} : ${'9'.padStart(20)}`);
    const s = await open();
    expect([s.senderSeqNum, s.targetSeqNum]).toEqual([27, 9]);
  });

  it('reset() starts again at 1, and keeps the next messages covered', async () => {
    const { open, onDisk } = setup(10);
    const s = await open();
    for (let seq = 1; seq <= 15; seq++) await sent(s, seq);
    await s.reset();
    expect([s.senderSeqNum, s.targetSeqNum]).toEqual([1, 1]);
    expect(onDisk().sender).toBeGreaterThan(1);
    expect(await s.get(3)).toBeNull();
    await sent(s, 1);
    expect(onDisk().sender).toBeGreaterThan(2);
  });

  it('a newer store for the same session takes over: the older one writes nothing any more', async () => {
    const { open, onDisk } = setup(10);
    const old = await open();
    await old.setTargetSeqNum(5);
    const fresh = await open();
    await fresh.setTargetSeqNum(3);
    await fresh.flush();
    for (let seq = 1; seq <= 50; seq++) await sent(old, seq); // a dead connection's late writes
    await old.flush();
    expect(onDisk()).toMatchObject({ sender: fresh.senderSeqNum + 10, target: 3 });
  });
});

describe('seqnums file', () => {
  it('parses only two positive integers, and tells its own writes from foreign ones', () => {
    expect(parseSeqNums('12 : 34\n')).toEqual({ sender: 12, target: 34, lagging: false });
    expect(parseSeqNums('                  12 :                   34')).toEqual({
      sender: 12,
      target: 34,
      lagging: true,
    });
    for (const bad of ['', '12', '12 :', ': 3', '0 : 1', '1 : 0', 'a : b', '1 : 2 : 3'])
      expect(parseSeqNums(bad), bad).toBeUndefined();
  });

  it('writes atomically: the file is replaced whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aurum-seqnums-'));
    dirs.push(dir);
    const path = join(dir, 'x.seqnums');
    writeSeqNumFile(path, 5, 6);
    writeSeqNumFile(path, 1005, 7);
    expect(readFileSync(path, 'utf8')).toBe('1005 : 7\n');
    expect(readSeqNumFile(join(dir, 'none'))).toEqual({ kind: 'absent' });
  });
});
