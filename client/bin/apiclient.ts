import { main } from '../src/cli.ts';

// As PID 1 in a container, Node gets no default signal handling: without these, `docker stop`
// would wait for its timeout and kill the client.
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());

process.exitCode = await main(process.argv.slice(2), process.env, process, stop.signal);
