/**
 * The documents commands of `aidledger`: upload a file into a node's vault (and attach it to a
 * case), attach an upload, list a case's documents and who read them, read one (a signed read,
 * committed before the bytes come back), and erase one. Each signs with `--key` on this device.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AidError, type ErrorCode } from '../../core/errors.js';
import { printLine as out, type DomainCommands } from '../../runtime/commands.js';
import { readKeyFile } from '../../runtime/keyfile.js';
import { AidClient, type Outcome } from '../../sdk/client.js';
import { signIn } from '../aid/client.js';
import {
  attachDocument,
  caseDocuments,
  eraseDocument,
  readDocument,
  uploadDocument,
} from './client.js';
import { READ_ROLE_LABELS } from './text.js';
import { DOCUMENT_FORMATS, MAX_DOCUMENT_BYTES, type Upload } from './types.js';

const DEFAULT_NODE = 'http://127.0.0.1:8080';

interface SignOpts {
  node: string;
  key: string;
}

const bad = (message: string): never => {
  throw new AidError('BAD_REQUEST', message);
};

const hex64 = (what: string) => (v: string) =>
  /^[0-9a-f]{64}$/.test(v) ? v : bad(`${what} is 64 lowercase hex characters`);

const withKey = (cmd: Command): Command =>
  cmd
    .option('--node <url>', 'node URL', DEFAULT_NODE)
    .requiredOption('--key <file>', 'key file to sign with');

/** Signs in with a key file: the client, the chain, this node's organisation and a token. */
async function session(o: SignOpts) {
  const key = readKeyFile(o.key);
  const client = new AidClient(o.node);
  const health = (await client.health()) as { chain: string; org?: string };
  const token = await signIn(client, health.chain, key.seedBytes);
  return { key, client, chain: health.chain, org: health.org ?? '', token };
}

/** Prints an outcome. @throws AidError with the refusal code when it was refused. */
function reported(type: string, r: Outcome): Outcome {
  if (r.result.ok) {
    out(`${type}: ok, tx ${r.id} at block ${r.height}`);
    return r;
  }
  out(`${type}: refused ${r.result.code}, tx ${r.id} at block ${r.height}`);
  throw new AidError(r.result.code as ErrorCode, `${type} was refused (tx ${r.id})`);
}

const when = (t: number) => new Date(t).toISOString();

export const documentsCommands: DomainCommands = {
  register(cli) {
    const docs = cli
      .command('documents')
      .description('documents of a case: encrypted by the node that holds them, read on record');

    withKey(
      docs
        .command('upload')
        .description(
          `upload a PDF, JPEG or PNG (at most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB; the format is told by its bytes, not its name)`,
        )
        .argument('<file>', 'the document')
        .option('--case <id>', 'attach it to this case at once', hex64('case id'))
        .option('--kind <name>', 'with --case: the document the program asks for (invoice, …)'),
    ).action(async (file: string, o: SignOpts & { case?: string; kind?: string }) => {
      if ((o.case === undefined) !== (o.kind === undefined)) bad('--case and --kind go together');
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (cause) {
        throw new AidError('BAD_REQUEST', `cannot read ${file}`, { cause });
      }
      const s = await session(o);
      const up = await uploadDocument(s.client, s.token, bytes);
      out(
        `uploaded ${up.format}, ${up.size} bytes, held by ${up.holder}: commitment ${up.commitment}`,
      );
      if (o.case !== undefined && o.kind !== undefined) {
        const r = reported(
          'documents.attach',
          await attachDocument(s.client, s.chain, s.key.seedBytes, {
            case: o.case,
            kind: o.kind,
            upload: up,
          }),
        );
        out(`document ${r.id} attached to case ${o.case}`);
      } else {
        out(`attach it within the hour: aidledger documents attach --upload ${up.commitment} …`);
      }
    });

    withKey(
      docs
        .command('attach')
        .description('attach an upload to a case')
        .requiredOption('--case <id>', 'case id', hex64('case id'))
        .requiredOption('--kind <name>', 'the document the program asks for (invoice, …)')
        .requiredOption('--upload <commitment>', 'the upload’s commitment', hex64('commitment'))
        .requiredOption('--format <format>', `${DOCUMENT_FORMATS.join(', ')}, as the upload said`)
        .requiredOption('--holder <org>', 'the organisation whose node took the upload'),
    ).action(
      async (
        o: SignOpts & {
          case: string;
          kind: string;
          upload: string;
          format: string;
          holder: string;
        },
      ) => {
        if (!(DOCUMENT_FORMATS as readonly string[]).includes(o.format))
          bad(`--format is one of ${DOCUMENT_FORMATS.join(', ')}`);
        const client = new AidClient(o.node);
        const { chain } = await client.health();
        const upload = {
          commitment: o.upload,
          format: o.format as Upload['format'],
          holder: o.holder,
        };
        const r = reported(
          'documents.attach',
          await attachDocument(client, chain, readKeyFile(o.key).seedBytes, {
            case: o.case,
            kind: o.kind,
            upload,
          }),
        );
        out(`document ${r.id} attached to case ${o.case}`);
      },
    );

    withKey(
      docs
        .command('list')
        .description('a case’s documents and, where you may see them, who read them')
        .argument('<case>', 'case id', hex64('case id'))
        .option('--json', 'print the node’s JSON'),
    ).action(async (caseId: string, o: SignOpts & { json?: boolean }) => {
      const s = await session(o);
      const d = await caseDocuments(s.client, s.token, caseId);
      if (o.json) return out(JSON.stringify(d, null, 2));
      if (d.documents.length === 0) out('no documents');
      for (const x of d.documents)
        out(
          `${x.id}  ${x.kind}  ${x.format}  held by ${x.holder}  attached by ${x.by} ${when(x.time)}${x.status === 'erased' ? '  ERASED' : ''}`,
        );
      if (d.reads) {
        out(`reads (${d.reads.length}):`);
        for (const r of d.reads)
          out(
            `  ${when(r.time)}  ${r.reader} (${READ_ROLE_LABELS[r.as]?.en ?? r.as})  ${r.kind} ${r.document}  via ${r.via}  tx ${r.tx}`,
          );
      }
    });

    withKey(
      docs
        .command('read')
        .description('read a document: your signed read is recorded on the ledger first')
        .argument('<document>', 'document id', hex64('document id'))
        .requiredOption('--out <file>', 'where to write the bytes'),
    ).action(async (document: string, o: SignOpts & { out: string }) => {
      const s = await session(o);
      const r = await readDocument(s.client, s.token, s.chain, s.key.seedBytes, document, s.org);
      writeFileSync(o.out, r.bytes, { mode: 0o600 });
      out(
        `${r.bytes.length} bytes of ${r.type} written to ${o.out}; read recorded in tx ${r.read}`,
      );
    });

    withKey(
      docs
        .command('erase')
        .description(
          'erase a document: its key is destroyed where it is held; the ledger keeps its commitment',
        )
        .argument('<document>', 'document id', hex64('document id')),
    ).action(async (document: string, o: SignOpts) => {
      const client = new AidClient(o.node);
      const { chain } = await client.health();
      reported(
        'documents.erase',
        await eraseDocument(client, chain, readKeyFile(o.key).seedBytes, document),
      );
    });
  },
};
