/**
 * The membership commands of `aidledger`: Ed25519 key files made and read on this device, and
 * the proof of possession a key needs before it is enrolled or rotated to.
 */
import type { Command } from 'commander';
import { randomSeed } from '../../core/ed25519.js';
import { AidError } from '../../core/errors.js';
import { printLine as out, type DomainCommands } from '../../runtime/commands.js';
import { keyFileFromSeed, readKeyFile, writeKeyFile } from '../../runtime/keyfile.js';
import { AidClient } from '../../sdk/client.js';
import { proveKey } from './possession.js';

export const membershipCommands: DomainCommands = {
  register(cli: Command) {
    const keys = cli.command('keys').description('make and inspect Ed25519 key files');
    keys
      .command('new')
      .description('make a new key pair on this machine')
      .requiredOption('--out <file>', 'key file to write (mode 0600; never overwritten)')
      .option('--member <id>', 'the member id it is for')
      .action((o: { out: string; member?: string }) => {
        const k = keyFileFromSeed(randomSeed(), o.member);
        writeKeyFile(o.out, k);
        out(k.publicKey);
      });
    keys
      .command('show')
      .description('print the public key of a key file')
      .argument('<file>', 'key file')
      .action((file: string) => out(readKeyFile(file).publicKey));
    keys
      .command('prove')
      .description(
        'prove this key is yours before it is enrolled or rotated to: prints {"key","pop"} for the payload',
      )
      .requiredOption('--key <file>', 'the new key file (its seed never leaves this machine)')
      .requiredOption(
        '--holder <id>',
        '<org>/<member> the key is for (the member itself when rotating), or <org>/node',
      )
      .option('--chain <id>', 'chain id (default: the node’s, from --url)')
      .option('--url <url>', 'node URL, to read the chain id')
      .action(async (o: { key: string; holder: string; chain?: string; url?: string }) => {
        if (!/^[a-z0-9][a-z0-9-]{1,62}\/[a-z0-9][a-z0-9._-]{0,62}$/.test(o.holder))
          throw new AidError('BAD_REQUEST', '--holder is <org>/<member> or <org>/node');
        let chain = o.chain;
        if (chain === undefined) {
          if (o.url === undefined) throw new AidError('BAD_REQUEST', 'give --chain or --url');
          chain = (await new AidClient(o.url).health()).chain;
        }
        const k = readKeyFile(o.key);
        out(JSON.stringify({ key: k.publicKey, pop: proveKey(chain, o.holder, k.seedBytes) }));
      });
  },
};
