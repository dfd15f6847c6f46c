/**
 * The HTTP transport of one fetcher: undici's `fetch` on an `Agent` whose connections go only
 * where the address policy allows (`address.ts`), checked on the address each socket is about to
 * connect to, for every exchange and so for every redirect hop. Node 20's built-in fetch cannot
 * take such an agent (its undici is internal), hence undici 7 from npm (the last line that runs
 * on Node 20).
 *
 * It also tells whether a connection carried bytes past the end of a response: an origin whose
 * Content-Length is shorter than the body it sends would otherwise have its body silently cut
 * at the declared length (a page whose whole text is "<!doctype ") and published.
 */
import { subscribe } from 'node:diagnostics_channel';
import { isIP, type Socket } from 'node:net';
import { Agent, buildConnector, errors, type Response, fetch as undiciFetch } from 'undici';
import { type AddressPolicy, guardedLookup, refusedError } from './address.js';

export interface Transport {
  /** One HTTP exchange; redirects are returned, never followed. */
  send(url: URL, init: { headers: Record<string, string>; signal: AbortSignal }): Promise<Sent>;
}

export interface Sent {
  response: Response;
  /**
   * Call once the body has been read to its end: true when the connection carried bytes
   * beyond the body its framing (Content-Length or chunks) declared.
   */
  overran(): boolean;
}

/**
 * Links an exchange to the socket its request was written on. undici announces each request it
 * creates and the socket it sends it on through diagnostics channels; the request is created
 * synchronously inside `dispatch`, during which `dispatching` names the exchange.
 */
interface Trace {
  socket?: Socket;
}
let dispatching: Trace | undefined;
const traces = new WeakMap<object, Trace>();
subscribe('undici:request:create', (message) => {
  if (dispatching) traces.set((message as { request: object }).request, dispatching);
});
subscribe('undici:client:sendHeaders', (message) => {
  const { request, socket } = message as { request: object; socket: Socket };
  const trace = traces.get(request);
  if (trace) trace.socket = socket;
});

/** Bytes that followed a response on a connection undici was closing after it. */
const leftovers = new WeakMap<Socket, number>();

/**
 * When undici closes a connection after a response (`Connection: close`), its parser hands
 * the bytes that followed the response back with `unshift` on the already destroyed socket,
 * where nobody reads them. Count them there.
 */
function countLeftovers(socket: Socket): void {
  const unshift = socket.unshift.bind(socket);
  socket.unshift = (chunk: Buffer | string, encoding?: BufferEncoding) => {
    if (socket.destroyed && chunk.length > 0) leftovers.set(socket, (leftovers.get(socket) ?? 0) + chunk.length);
    unshift(chunk, encoding);
  };
}

function overran(socket: Socket | undefined): boolean {
  if (!socket) return false;
  if ((leftovers.get(socket) ?? 0) > 0) return true;
  // On a kept-alive connection undici parses what follows a response as the next one, finds no
  // request waiting for it and destroys the socket with this error, before the body's end reaches us.
  const err = socket.errored;
  return (err instanceof errors.SocketError && err.message === 'bad response') || err instanceof errors.HTTPParserError;
}

export function createTransport(policy: AddressPolicy): Transport {
  // Rules may name a port and Node does not pass the port to `lookup`: one connector per port.
  const connectors = new Map<number, buildConnector.connector>();
  const connect: buildConnector.connector = (opts, callback) => {
    const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80);
    // Node calls `lookup` only for names; an address literal is checked here.
    const literal = isIP(opts.hostname) ? policy.refusal(opts.hostname, port) : undefined;
    if (literal) {
      callback(refusedError(opts.hostname, literal), null);
      return;
    }
    let connector = connectors.get(port);
    if (!connector) {
      connector = buildConnector({ lookup: guardedLookup(policy, port) });
      connectors.set(port, connector);
    }
    connector(opts, (...result) => {
      if (result[1]) countLeftovers(result[1]);
      callback(...result);
    });
  };
  const agent = new Agent({ connect });

  return {
    async send(url, init) {
      const trace: Trace = {};
      const dispatcher = agent.compose((dispatch) => (opts, handler) => {
        dispatching = trace;
        try {
          return dispatch(opts, handler);
        } finally {
          dispatching = undefined;
        }
      });
      const response = await undiciFetch(url, {
        headers: init.headers,
        redirect: 'manual',
        signal: init.signal,
        dispatcher,
      });
      return { response, overran: () => overran(trace.socket) };
    },
  };
}
