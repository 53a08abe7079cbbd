#!/usr/bin/env node
/**
 * The `aidledger` command. Errors end as one line on stderr and an exit code:
 * 1 a check failed (verification, fork, rewrite), 2 bad usage or configuration, 3 unreachable.
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, dirname, join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { ORG_TYPES, parseGenesis } from '../chain/genesis.js';
import { parsePolicy } from '../chain/policy.js';
import { verifyReceipt } from '../chain/receipt.js';
import { signingText, type SignedTx } from '../chain/tx.js';
import { fromHex, toHex } from '../core/bytes.js';
import { parseJson } from '../core/canonical.js';
import { publicKeyFromSeed, randomSeed } from '../core/ed25519.js';
import { AidError, isAidError } from '../core/errors.js';
import { verifyHex } from '../runtime/node-ed25519.js';
import { fastSha256 } from '../runtime/node-hash.js';
import { verifyLedgerFile } from '../runtime/verify.js';
import { paths, readConsortiumKey, writeConsortiumKey } from '../node/config.js';
import { consortiumSecrets } from '../runtime/secrets.js';
import { keyFileFromSeed, readKeyFile, writeKeyFile } from '../runtime/keyfile.js';
import { AidClient } from '../sdk/client.js';
import { buildSubmission } from '../sdk/build.js';
import { auditLog } from '../sdk/audit.js';
import { witnessStep, type WitnessState } from '../sdk/witness.js';
import { progress } from './progress.js';
import { domains } from '../domains/index.js';
import { printLine as out } from '../runtime/commands.js';
import { registerClusterCommands } from './cluster.js';
import { LATEST_PROTOCOL, registry } from '../domains/protocols.js';
import { keepHeapNearLive } from '../runtime/heap.js';

keepHeapNearLive();

const VERSION = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

function exitCodeOf(e: unknown): number {
  if (!isAidError(e)) return 1;
  switch (e.code) {
    case 'CONFIG':
    case 'MALFORMED':
    case 'BAD_REQUEST':
      return 2;
    case 'UNAVAILABLE':
      return 3;
    default:
      return 1;
  }
}

function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new AidError('CONFIG', `cannot read ${path}`, { cause });
  }
  return parseJson(text);
}

/** A JSON argument given inline or as @file. */
function jsonArg(value: string): unknown {
  return value.startsWith('@') ? readJsonFile(value.slice(1)) : parseJson(value);
}

function int(name: string) {
  return (v: string): number => {
    if (!/^(0|[1-9][0-9]{0,15})$/.test(v))
      throw new AidError('BAD_REQUEST', `${name} must be a non-negative integer`);
    return Number(v);
  };
}

async function policyFrom(client: AidClient, file: string | undefined) {
  return file ? parsePolicy(readJsonFile(file)) : client.policy();
}

/** The portable check, on node:crypto: the same strict rule, much faster. */
const fastVerifyTx = (tx: SignedTx) => verifyHex(tx.signer, signingText(tx), tx.sig);

async function initDir(
  dir: string,
  o: { demo?: boolean; seed: string; chain?: string; org?: string; type?: string; name?: string },
): Promise<void> {
  if (existsSync(paths.genesis(dir))) throw new AidError('CONFIG', `${dir} already holds a node`);
  mkdirSync(dir, { recursive: true });
  // Loaded here, not at start-up: commands that read a node over HTTP stay quick.
  const { AidNode } = await import('../node/node.js');
  if (o.demo) {
    const { runDemo, writeDemoDir } = await import('../node/demo.js');
    const genesis = writeDemoDir(dir, o.seed, Date.now());
    const node = await AidNode.open(dir);
    try {
      // Each domain's part in turn: the members, then the medical aid's programs, money and cases.
      const summaries = await runDemo(node, o.seed, genesis.chain);
      out(
        `demo consortium written to ${dir}: ${node.ledger.height + 1} blocks, ${node.ledger.size} log entries`,
      );
      for (const summary of summaries) out(summary);
    } finally {
      await node.close();
    }
    return;
  }
  if (!o.org || !o.chain) throw new AidError('CONFIG', 'init needs --chain and --org (or --demo)');
  const admin = randomSeed();
  const nodeSeed = randomSeed();
  const name = o.name ?? o.org;
  const genesis = parseGenesis({
    chain: o.chain,
    time: Date.now(),
    orgs: [
      {
        id: o.org,
        type: o.type ?? 'government',
        names: { 'zh-Hant': name, 'zh-Hans': name, en: name },
        rootKey: toHex(publicKeyFromSeed(admin)),
        nodeKey: toHex(publicKeyFromSeed(nodeSeed)),
      },
    ],
    governanceQuorum: 1,
    checkpointQuorum: 1,
    protocol: [{ version: LATEST_PROTOCOL, fromHeight: 0 }],
  });
  mkdirSync(paths.keys(dir), { recursive: true });
  writeFileSync(paths.genesis(dir), JSON.stringify(genesis, null, 2) + '\n', { flag: 'wx' });
  writeFileSync(
    paths.config(dir),
    JSON.stringify({ org: o.org, maxTxs: 1000, maxWaitMs: 20 }, null, 2) + '\n',
    { flag: 'wx' },
  );
  writeKeyFile(paths.nodeKey(dir), keyFileFromSeed(nodeSeed));
  // The consortium key: shared with every member node that joins, never with anyone else.
  writeConsortiumKey(dir, randomSeed());
  writeKeyFile(
    join(paths.keys(dir), `${o.org}.admin.json`),
    keyFileFromSeed(admin, `${o.org}/admin`),
  );
  const node = await AidNode.open(dir);
  await node.close();
  out(
    `node for ${o.org} on chain ${o.chain} written to ${dir}; admin key in ${join(paths.keys(dir), `${o.org}.admin.json`)}`,
  );
}

interface StartOptions {
  dir?: string;
  config?: string;
  port: number;
  host: string;
  demo?: boolean;
  advertise?: string;
}

/** The node directory of `--dir`, or of `--config`, which names the node.json inside one. */
function nodeDirOf(o: { dir?: string; config?: string }): string {
  if (o.config === undefined) {
    if (o.dir === undefined) throw new AidError('CONFIG', 'give --dir or --config');
    return o.dir;
  }
  if (o.dir !== undefined) throw new AidError('CONFIG', 'give one of --dir and --config');
  if (basename(o.config) !== 'node.json')
    throw new AidError(
      'CONFIG',
      `--config names the node.json of a node directory (beside genesis.json and keys/), not ${o.config}`,
    );
  return dirname(o.config);
}

export function program(): Command {
  const cli = new Command('aidledger')
    .description('AidLedger: a permissioned ledger that makes medical aid transparent')
    .version(VERSION)
    .showHelpAfterError()
    // Usage errors become exceptions, so they exit 2 like every other bad usage.
    .exitOverride();

  cli
    .command('init')
    .description('create a node directory: genesis, keys, configuration')
    .requiredOption('--dir <dir>', 'node directory')
    .option(
      '--demo',
      'a demo consortium with its activity: members, aid programs, donations and 200 cases',
    )
    .option('--seed <seed>', 'seed for the demo keys', 'demo')
    .option('--chain <id>', 'chain id, e.g. example.org/aid')
    .option('--org <id>', 'the founding organisation id')
    .addOption(new Option('--type <type>', 'organisation type').choices([...ORG_TYPES]))
    .option('--name <name>', 'organisation name')
    .action(
      async (o: {
        dir: string;
        demo?: boolean;
        seed: string;
        chain?: string;
        org?: string;
        type?: string;
        name?: string;
      }) => {
        await initDir(o.dir, o);
      },
    );

  cli
    .command('start')
    .description('run the node and its HTTP API (embedded, or in a cluster: as node.json says)')
    .option('--dir <dir>', 'node directory')
    .option('--config <file>', 'the node.json of a node directory (instead of --dir)')
    .option('--port <port>', 'HTTP port', int('port'), 8080)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--demo', 'initialise a demo consortium first if the directory is empty')
    .option(
      '--advertise <url>',
      'where the consortium’s other nodes reach this API, to catch up from it (default: http://HOST:PORT unless HOST is 0.0.0.0 or ::)',
    )
    .action(async (o: StartOptions) => {
      const dir = nodeDirOf(o);
      if (o.advertise !== undefined && !/^https?:\/\/[^\s/]+\/?$/.test(o.advertise))
        throw new AidError('CONFIG', '--advertise is a URL such as https://node.example.org');
      const { pino } = await import('pino');
      const { AidNode } = await import('../node/node.js');
      const { buildServer } = await import('../api/server.js');
      const log = pino({ base: { org: undefined } });
      if (o.demo && !existsSync(paths.genesis(dir)))
        await initDir(dir, { demo: true, seed: 'demo' });
      const node = await AidNode.open(dir, {
        log: (level, msg, fields) => log[level](fields ?? {}, msg),
      });
      const app = buildServer(node, { version: VERSION, logger: log });
      await app.listen({ port: o.port, host: o.host });
      const base = `http://${o.host === '0.0.0.0' ? 'localhost' : o.host}:${o.port}`;
      const wildcard = o.host === '0.0.0.0' || o.host === '::';
      const advertised = o.advertise?.replace(/\/$/, '') ?? (wildcard ? undefined : base);
      if (advertised) node.url = advertised;
      out(
        [
          `AidLedger node of ${node.org} on chain ${node.ledger.chain}: height ${node.ledger.height}, ${node.ledger.size} log entries`,
          `  web app          ${base}/`,
          `  API              ${base}/v1/health`,
          `  OpenAPI          ${base}/v1/openapi.json`,
          `  checkpoint       ${base}/v1/log/checkpoint`,
          `  latest blocks    ${base}/v1/blocks?from=0&limit=20`,
          `  verifier policy  ${base}/v1/policy`,
          `  aid programs     ${base}/v1/public/programs`,
          `  cases (public)   ${base}/v1/public/cases?limit=20`,
          `  check it all:    aidledger verify --remote ${base}`,
          `Stop with Ctrl-C.`,
        ].join('\n'),
      );
      const stop = async () => {
        await app.close();
        await node.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });

  cli
    .command('verify')
    .description(
      'verify a ledger: --dir re-executes everything; --remote checks what an outsider can',
    )
    .option('--dir <dir>', 'node directory')
    .option('--remote <url>', 'node URL')
    .option('--policy <file>', 'verifier policy (for --remote; default: the node’s own)')
    .action(async (o: { dir?: string; remote?: string; policy?: string }) => {
      if (!!o.dir === !!o.remote)
        throw new AidError('CONFIG', 'give exactly one of --dir and --remote');
      if (o.dir) {
        const bar = progress('verify');
        try {
          const key = readConsortiumKey(o.dir);
          const r = await verifyLedgerFile(paths.ledger(o.dir), {
            registry,
            onProgress: (d, t) => bar.update(d, t),
            ...(key ? { secrets: consortiumSecrets(key) } : {}),
          });
          bar.stop();
          out(
            `sound: ${r.blocks} blocks, ${r.txs} transactions (${r.refused} refused, ${r.erased} with erased private parts), ${r.leaves} log entries`,
          );
          out(`root ${r.root}`);
          out(`state ${r.state}`);
        } finally {
          bar.stop();
        }
        return;
      }
      const client = new AidClient(o.remote!);
      const policy = await policyFrom(client, o.policy);
      const bar = progress('audit');
      try {
        const r = await auditLog(client, policy, {
          verifyTx: fastVerifyTx,
          hash: fastSha256,
          onProgress: (d, t) => bar.update(d, t),
        });
        bar.stop();
        out(
          `sound: ${r.size} log entries, ${r.blocks} blocks, ${r.txs} transactions (${r.refused} refused); checkpoint signed by ${r.signers.join(', ')}`,
        );
      } finally {
        bar.stop();
      }
    });

  cli
    .command('witness')
    .description('follow a node’s checkpoints; alarm (exit 1) on a fork or a rewrite')
    .argument('<url>', 'node URL')
    .option('--state <file>', 'where the last checkpoint seen is kept between runs')
    .option(
      '--policy <file>',
      'verifier policy (default: fetched once from the node and pinned in the state)',
    )
    .option('--interval <seconds>', 'poll every N seconds; without it, check once', int('interval'))
    .action(async (url: string, o: { state?: string; policy?: string; interval?: number }) => {
      const client = new AidClient(url);
      const saved =
        o.state && existsSync(o.state)
          ? (readJsonFile(o.state) as { checkpoint: WitnessState; policy: unknown })
          : undefined;
      const policy = o.policy
        ? parsePolicy(readJsonFile(o.policy))
        : saved
          ? parsePolicy(saved.policy)
          : await client.policy();
      let state = saved?.checkpoint;
      for (;;) {
        const step = await witnessStep(client, policy, state);
        state = step.state;
        if (o.state)
          writeFileSync(o.state, JSON.stringify({ checkpoint: state, policy }, null, 2) + '\n');
        out(
          `${new Date().toISOString()} ok: size ${state.size} root ${state.root}${step.grew ? '' : ' (unchanged)'}`,
        );
        if (o.interval === undefined) return;
        await new Promise((r) => setTimeout(r, o.interval! * 1000));
      }
    });

  cli
    .command('verify-receipt')
    .description('check a receipt offline under a verifier policy')
    .argument('<file>', 'receipt JSON')
    .requiredOption('--policy <file>', 'verifier policy JSON')
    .action((file: string, o: { policy: string }) => {
      const verdict = verifyReceipt(readJsonFile(file), parsePolicy(readJsonFile(o.policy)));
      for (const s of verdict.steps) out(`${s.ok ? 'ok  ' : 'FAIL'} ${s.step}: ${s.detail}`);
      if (!verdict.ok)
        throw new AidError('VERIFY_FAILED', `receipt is not valid (${verdict.steps.at(-1)?.step})`);
      out('receipt is valid');
    });

  cli
    .command('receipt')
    .description('fetch the receipt of a transaction')
    .argument('<txid>', 'transaction id')
    .requiredOption('--url <url>', 'node URL')
    .option('--out <file>', 'write it to a file')
    .action(async (txid: string, o: { url: string; out?: string }) => {
      const r = await new AidClient(o.url).receipt(txid);
      const text = JSON.stringify(r, null, 2) + '\n';
      if (o.out) writeFileSync(o.out, text);
      else out(text);
    });

  cli
    .command('tx')
    .description('sign a JSON payload with a key file and submit it; prints the outcome')
    .requiredOption('--url <url>', 'node URL')
    .requiredOption('--key <file>', 'key file')
    .requiredOption('--type <type>', 'transaction type, <contract>.<action>')
    .requiredOption('--payload <json>', 'payload JSON, or @file')
    .option('--facts <json>', 'private facts JSON, or @file: only a salted commitment is signed')
    .option('--nonce <nonce>', 'nonce (default: random)')
    .option('--chain <id>', 'chain id (default: the node’s)')
    .action(
      async (o: {
        url: string;
        key: string;
        type: string;
        payload: string;
        facts?: string;
        nonce?: string;
        chain?: string;
      }) => {
        const client = new AidClient(o.url);
        const key = readKeyFile(o.key);
        const chain = o.chain ?? ((await client.health()).chain as string);
        const payload = jsonArg(o.payload);
        const facts = o.facts === undefined ? undefined : jsonArg(o.facts);
        if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
          throw new AidError('MALFORMED', 'payload must be a JSON object');
        if (
          facts !== undefined &&
          (typeof facts !== 'object' || facts === null || Array.isArray(facts))
        )
          throw new AidError('MALFORMED', 'facts must be a JSON object');
        const sub = buildSubmission(
          {
            chain,
            type: o.type,
            payload: payload as Record<string, unknown>,
            ...(facts ? { facts: facts as Record<string, unknown> } : {}),
            ...(o.nonce ? { nonce: o.nonce } : {}),
          },
          key.seedBytes,
        );
        const r = await client.submit(sub);
        out(JSON.stringify(r));
        if (!r.result.ok) process.exitCode = 1;
      },
    );

  const log = cli.command('log').description('read the log as Certificate Transparency serves one');
  log
    .command('checkpoint')
    .description('print the latest signed checkpoint')
    .requiredOption('--url <url>', 'node URL')
    .action(async (o: { url: string }) => {
      process.stdout.write(await new AidClient(o.url).checkpoint());
    });
  log
    .command('entries')
    .description('print leaves start <= i < end as JSON lines')
    .requiredOption('--url <url>', 'node URL')
    .requiredOption('--start <n>', 'first index', int('start'))
    .requiredOption('--end <n>', 'one past the last index', int('end'))
    .action(async (o: { url: string; start: number; end: number }) => {
      const client = new AidClient(o.url);
      for (let at = o.start; at < o.end;) {
        const page = await client.entries(at, o.end);
        if (page.length === 0) break;
        for (const e of page) out(new TextDecoder().decode(e));
        at += page.length;
      }
    });
  const proof = log.command('proof').description('fetch RFC 9162 proofs');
  proof
    .command('inclusion')
    .requiredOption('--url <url>', 'node URL')
    .requiredOption('--index <n>', 'leaf index', int('index'))
    .requiredOption('--size <n>', 'tree size', int('size'))
    .action(async (o: { url: string; index: number; size: number }) => {
      const p = await new AidClient(o.url).inclusionProof(o.index, o.size);
      out(
        JSON.stringify(
          { index: o.index, size: o.size, leafHash: toHex(p.leafHash), proof: p.proof.map(toHex) },
          null,
          2,
        ),
      );
    });
  proof
    .command('consistency')
    .requiredOption('--url <url>', 'node URL')
    .requiredOption('--first <n>', 'older size', int('first'))
    .requiredOption('--second <n>', 'newer size', int('second'))
    .action(async (o: { url: string; first: number; second: number }) => {
      const p = await new AidClient(o.url).consistencyProof(o.first, o.second);
      out(JSON.stringify({ first: o.first, second: o.second, proof: p.map(toHex) }, null, 2));
    });

  cli
    .command('erase')
    .description(
      'erase the private parts of transactions on this node (right to erasure); the log keeps their commitments. Replays the ledger once, as verify --dir does, so give all of a patient’s transactions together',
    )
    .requiredOption('--dir <dir>', 'node directory')
    .requiredOption('--tx <ids...>', 'transaction ids')
    .action(async (o: { dir: string; tx: string[] }) => {
      for (const id of o.tx) fromHex(id, 32, 'transaction id');
      const { Ledger } = await import('../runtime/ledger.js');
      const { erasePrivateParts } = await import('../runtime/erase.js');
      const key = readConsortiumKey(o.dir);
      const ledger = Ledger.open({
        registry,
        path: paths.ledger(o.dir),
        ...(key ? { secrets: consortiumSecrets(key) } : {}),
      });
      try {
        const erased = new Set(await erasePrivateParts(ledger, o.tx));
        for (const id of o.tx)
          out(
            erased.has(id) ? `erased the private part of ${id}` : `no private part held for ${id}`,
          );
      } finally {
        ledger.close();
      }
    });
  // Each domain's commands, as the registry lists them.
  for (const d of domains) d.commands?.register(cli);
  registerClusterCommands(cli);
  return cli;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    // Help and the version exit 0; any other usage error was printed with its help: exit 2.
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    const code = isAidError(e) ? e.code : 'ERROR';
    process.stderr.write(`aidledger: ${code}: ${(e as Error).message}\n`);
    return exitCodeOf(e);
  }
}

// Run when this file is the program (directly, or through the npm bin symlink).
const isMain = (() => {
  try {
    return (
      process.argv[1] !== undefined &&
      realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)
    );
  } catch {
    return false;
  }
})();
if (isMain) {
  const code = await main(process.argv);
  if (code !== 0) process.exit(code);
}
