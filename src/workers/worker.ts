/** Entry of a pool worker thread: runs the stage entry it is asked for and answers with its result or error. */
import { parentPort } from 'node:worker_threads';
import { MirrorError } from '../errors.js';
import { failedStage, type Reply, type Request, runRequest } from './pool.js';

const port = parentPort;
if (!port) throw new Error('src/workers/worker.ts runs only as a worker thread');

// Tell the pool the stages are loaded: until then it sends this thread nothing, and a
// thread that never gets here (a loader that hangs) is replaced by inline work.
port.postMessage({ ready: true });

port.on('message', (req: Request) => {
  let reply: Reply;
  try {
    reply = { id: req.id, ok: true, value: runRequest(req) };
  } catch (err) {
    const stage = failedStage(err);
    reply = {
      id: req.id,
      ok: false,
      error:
        err instanceof MirrorError
          ? { code: err.code, message: err.message, hint: err.hint, stage }
          : {
              message: err instanceof Error ? err.message : String(err),
              stack: err instanceof Error ? err.stack : undefined,
              stage,
            },
    };
  }
  port.postMessage(reply);
});
