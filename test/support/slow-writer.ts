/**
 * A writer that never finishes: puts `key` into the local store at `root` from an endless slow
 * stream, and prints "writing" once bytes are on their way. Tests kill it with SIGKILL.
 */
import { Readable } from 'node:stream';
import { openLocalStore } from '../../src/store/local-store.js';

const [root, key] = process.argv.slice(2) as [string, string];
let chunks = 0;
const body = new Readable({
  read() {
    setTimeout(() => {
      this.push(Buffer.alloc(64 * 1024, 'x'));
      if (++chunks === 4) process.stdout.write('writing\n');
    }, 5);
  },
});
await openLocalStore(root, root).put(key, body);
