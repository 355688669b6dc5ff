import type { Redactor } from './redact.ts';

/** Receives one line of output, without its newline. */
export type LineSink = (line: string) => void;

// C0 controls (including CR and LF) and DEL: a line is one line, and a header value sent by the
// gateway cannot move the cursor or forge a second log line.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;

/** Every line written to `stream` is redacted and flattened to one line of printable text. */
export function lineSink(stream: NodeJS.WritableStream, redactor: Redactor): LineSink {
  return (line) => {
    stream.write(`${redactor.redact(line).replace(CONTROL_CHARACTERS, ' ')}\n`);
  };
}
