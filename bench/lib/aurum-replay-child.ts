/**
 * One Aurum replay in a process of its own, as each Python peer runs in its own: `node
 * bench/lib/aurum-replay-child.ts <tick file> <fast> <slow>` parses the file (not timed), replays it once
 * (replayAurum: both regions timed) and prints the ReplayResult as JSON on its last line. A fresh process
 * per replay, so no replay inherits another's compiled code or heap, nor the benchmark's own garbage.
 */
import { readFileSync } from 'node:fs';
import { parseTicks } from '../../runtime/backtest/csv.ts';
import { replayAurum } from './aurum-backtest.ts';

const [file, fast, slow] = process.argv.slice(2);
if (!file || !fast || !slow) {
  process.stderr.write('usage: aurum-replay-child.ts <tick file> <fast> <slow>\n');
  process.exit(2);
}
const ticks = parseTicks(readFileSync(file, 'utf8'));
// Every engine starts its timed region on a collected heap (the Python peers call gc.collect()): the parse's
// garbage, and marking the ticks it made, are not the replay's. Spawned with --expose-gc for this.
(globalThis as { gc?: () => void }).gc?.();
const result = await replayAurum(ticks, Number(fast), Number(slow));
process.stdout.write(`${JSON.stringify(result)}\n`);
