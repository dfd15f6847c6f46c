/**
 * `newsmirror counter`: the view counter (src/counter/), until SIGTERM or SIGINT. It needs no
 * run lock: it keeps its counts in a database of its own and only reads the state.
 */
import { Command, InvalidArgumentError } from 'commander';
import { counterOptions, startCounter } from '../counter/index.js';
import { configOption, EXIT, err, load, out } from './shared.js';

function portNumber(value: string): number {
  const n = Number(value);
  if (!/^\d{1,5}$/.test(value) || n > 65535) throw new InvalidArgumentError('a port number, 0 to 65535');
  return n;
}

export function counterCommand(): Command {
  return new Command('counter')
    .description(
      'run the view counter: serve the beacon, count page views without storing who made them, serve /hot.json',
    )
    .addOption(configOption())
    .option('--port <n>', 'port to listen on (counter.port; 0: any free port)', portNumber)
    .option('--host <address>', 'address to listen on (counter.host)')
    .option('--json', 'print the start and stop lines as JSON')
    .action(async (o: { config: string; port?: number; host?: string; json?: boolean }) => {
      const config = load(o.config);
      const options = counterOptions(config);
      if (o.port !== undefined) options.port = o.port;
      if (o.host !== undefined) options.host = o.host;
      options.onWarning = (message) => err(`newsmirror counter: ${message}`);
      const counter = await startCounter(options);
      const started = {
        event: 'listening',
        url: counter.url,
        beacon: `${counter.url}${options.beaconPath.replace(/\/+$/, '')}/<page path>`,
        counts: options.countsFile,
        knownPages: counter.metrics().knownPages,
        flushMs: options.flushMs,
      };
      out(
        o.json
          ? JSON.stringify(started)
          : `counter listening on ${started.url} (beacon ${started.beacon}, ${started.knownPages} pages, counts in ${started.counts})`,
      );
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
      });
      // A second signal kills at once; the first writes every pending count before exiting.
      const m = await counter.stop();
      const stopped = {
        event: 'stopped',
        signal,
        requests: m.requests,
        counted: m.counted,
        throttled: m.throttled,
        rejected: m.rejected,
        flushErrors: m.flushErrors,
      };
      out(
        o.json
          ? JSON.stringify(stopped)
          : `counter stopped by ${signal}: ${m.requests} requests, ${m.counted} counted, ${m.throttled} throttled, ${m.rejected} rejected`,
      );
      // A clean stop is a success for a service manager.
      process.exitCode = m.flushErrors > 0 && m.pending > 0 ? EXIT.failed : EXIT.ok;
    });
}
