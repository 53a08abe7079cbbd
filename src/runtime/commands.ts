/**
 * The interface a domain implements for the command line: it registers its commands on the
 * `aidledger` program, which the CLI frame mounts from the domain registry. Commands talk to a
 * node through the SDK's transport and builder (src/sdk/client.ts, build.ts), read key files with
 * ./keyfile.ts and print with `printLine`; a domain's commands import no frame.
 */
import type { Command } from 'commander';

export interface DomainCommands {
  /** Adds the domain's commands to the `aidledger` program. */
  register(program: Command): void;
}

/** Prints `text` on stdout as a line (a newline is added unless it ends with one). */
export function printLine(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}
