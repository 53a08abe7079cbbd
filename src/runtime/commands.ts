/**
 * The interface a domain implements for the command line: it registers its commands on the
 * `aidledger` program, and the CLI frame lends it what talking to a node takes (a client for a
 * URL, building and signing a submission on this device). Key files are the runtime's own
 * (./keyfile.ts), and so is printing a line. A domain's commands import no frame.
 */
import type { Command } from 'commander';
import type { TxResult } from '../chain/leaf.js';
import type { Submission } from '../chain/tx.js';

/** What a node answers to a submission. */
export interface SubmitOutcome {
  id: string;
  height: number;
  result: TxResult;
  /** The transaction was in the log already; this is its original outcome. */
  duplicate?: boolean;
}

/** The part of a node's HTTP client that commands use besides their domain's client functions. */
export interface NodeClient {
  /** The node's URL, without a trailing slash. */
  readonly base: string;
  health(): Promise<{ chain: string }>;
  /** Submits one transaction; answers once it is committed. */
  submit(sub: Submission): Promise<SubmitOutcome>;
}

export interface CommandContext {
  /** A client of the node at `url`. */
  client(url: string): NodeClient;
  /**
   * A transaction built and signed with `seed` on this device; `facts` become its private part,
   * of which only a salted commitment is signed.
   */
  buildSubmission(
    spec: {
      chain: string;
      type: string;
      payload: Record<string, unknown>;
      facts?: Record<string, unknown>;
      nonce?: string;
    },
    seed: Uint8Array,
  ): Submission;
}

export interface DomainCommands {
  /** Adds the domain's commands to the `aidledger` program. */
  register(program: Command, ctx: CommandContext): void;
}

/** Prints `text` on stdout as a line (a newline is added unless it ends with one). */
export function printLine(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}
