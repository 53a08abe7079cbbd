/**
 * The documents part of the demo consortium, run after the medical aid's: program reviewers of
 * the organisation whose node takes the uploads attach an invoice (and the other documents the
 * program asks for) to some open cases, a reviewer reads a few of them — each read committed
 * before the bytes come back from the vault — and a finance officer's read is refused on record.
 * The documents are small PDFs made here, of fiction; on an embedded node they go straight into
 * its vault, on a consortium's node through its upload route.
 */
import { toHex } from '../../core/bytes.js';
import { publicKeyFromSeed } from '../../core/ed25519.js';
import { AidError } from '../../core/errors.js';
import { DemoSession, demoSeed, type DomainDemo, type DemoTarget } from '../../runtime/demo-kit.js';
import { signIn } from '../aid/client.js';
import { FREEZE_KEY } from '../aid/contracts/aid-common.js';
import { programKeys, type ProgramRecord, type ProgramVersion } from '../aid/contracts/programs.js';
import type { CaseRecord } from '../aid/types.js';
import { ROTATED_KEYS } from '../membership/demo.js';
import { readDocument, uploadDocument } from './client.js';
import type { DocumentFormat } from './types.js';
import { DocumentVault } from './vault.js';

/** Cases the demo attaches documents to. */
const CASES = 6;
/** Documents of those a reviewer reads. */
const READS = 4;
const OPEN_STATES: readonly string[] = ['submitted', 'verified', 'assessed', 'approved', 'funded'];

/**
 * A small, valid PDF 1.4 of one page with one line of text (ISO 32000-1 §7.5: header, objects,
 * cross-reference table with each object's byte offset, trailer).
 */
export function demoPdf(line: string): Uint8Array {
  const text = line.replace(/[\\()]/g, (c) => `\\${c}`);
  const stream = `BT /F1 14 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

interface Deposited {
  commitment: string;
  format: DocumentFormat;
}

/** How the demo puts bytes into the node's vault and reads them back, by where the node runs. */
interface VaultAccess {
  holder: string;
  deposit(signer: string, bytes: Uint8Array): Promise<Deposited>;
  /** Reads a document as `signer`; answers the read transaction's outcome and the bytes. */
  read(signer: string, document: string, commitment: string): Promise<Uint8Array>;
}

export const documentsDemo: DomainDemo = {
  staff: [],
  async run(target, ctx) {
    const seedOf = (m: string) => demoSeed(ctx.seed, ROTATED_KEYS[m] ?? m);
    const session = new DemoSession(target, ctx.seed, ctx.chain, {
      prefix: 'documents',
      keyLabel: (m) => ROTATED_KEYS[m],
    });
    const access = await vaultAccess(target, ctx.chain, seedOf, session);
    if (!access) return { summary: 'documents: no node in reach holds documents' };
    const ledger = target.ledger;
    const cases = ledger
      .stateScan('cases/c/', 100_000)
      .map((r) => JSON.parse(r.value) as CaseRecord)
      .filter((c) => c.owner === access.holder && OPEN_STATES.includes(c.state))
      .filter((c) =>
        [
          FREEZE_KEY.case(c.id),
          FREEZE_KEY.program(c.program),
          FREEZE_KEY.org(c.owner),
          FREEZE_KEY.org(c.hospital),
        ].every((k) => ledger.stateGet(k) === undefined),
      )
      .sort((a, b) => a.submitted - b.submitted || (a.id < b.id ? -1 : 1))
      .slice(0, CASES);
    const attached: { id: string; case: string; commitment: string; owner: string }[] = [];
    for (const c of cases) {
      const prog = JSON.parse(ledger.stateGet(programKeys.program(c.program))!) as ProgramRecord;
      const spec = JSON.parse(
        ledger.stateGet(programKeys.version(prog.id, prog.version))!,
      ) as ProgramVersion;
      const signer = `${c.owner}/reviewer-2`;
      for (const d of spec.documents.slice(0, 2)) {
        const bytes = demoPdf(`AidLedger demo ${d.name} for case ${c.id.slice(0, 12)} (fiction)`);
        const up = await access.deposit(signer, bytes);
        const id = session.add(signer, 'documents.attach', {
          case: c.id,
          kind: d.name,
          format: up.format,
          commitment: up.commitment,
          holder: access.holder,
        });
        attached.push({ id, case: c.id, commitment: up.commitment, owner: c.owner });
      }
    }
    await session.commit();
    let reads = 0;
    for (const a of attached.slice(0, READS)) {
      await access.read(`${a.owner}/reviewer-2`, a.id, a.commitment);
      reads++;
    }
    const refused = attached[0];
    if (refused) {
      session.add(
        `${refused.owner}/finance-1`,
        'documents.read',
        { document: refused.id, via: access.holder },
        { expect: 'NOT_A_READER' },
      );
      await session.commit();
    }
    if (session.surprises.length > 0)
      throw new AidError('VERIFY_FAILED', `documents demo: ${session.surprises.join('; ')}`);
    return {
      summary: `documents: ${attached.length} attached to ${cases.length} cases, held by ${access.holder}'s node; ${reads} reads recorded before the bytes were served, ${refused ? 1 : 0} refused on record`,
    };
  },
};

/** Reaches the vault of the demo's node: over HTTP, or in this process. */
async function vaultAccess(
  target: DemoTarget,
  chain: string,
  seedOf: (member: string) => Uint8Array,
  session: DemoSession,
): Promise<VaultAccess | undefined> {
  if (target.remote !== undefined) {
    const url = target.remote;
    const health = (await (await fetch(`${url}/v1/health`)).json()) as { org: string };
    const tokens = new Map<string, string>();
    const token = async (m: string) => {
      let t = tokens.get(m);
      if (t === undefined) tokens.set(m, (t = await signIn(url, chain, seedOf(m))));
      return t;
    };
    return {
      holder: health.org,
      deposit: async (signer, bytes) => uploadDocument(url, await token(signer), bytes),
      read: async (signer, document) =>
        (await readDocument(url, await token(signer), chain, seedOf(signer), document, health.org))
          .bytes,
    };
  }
  if (target.services === undefined) return undefined;
  const node = target.services();
  const vault = new DocumentVault(target.ledger.db, node.dir, node.org, node.clock);
  const keyOf = (m: string) => toHex(publicKeyFromSeed(seedOf(m)));
  return {
    holder: node.org,
    deposit: async (signer, bytes) =>
      vault.receive(
        keyOf(signer),
        (async function* () {
          yield bytes;
        })(),
        bytes.length,
      ),
    // As the read route does: the read is committed first, then the bytes are opened and checked.
    read: async (signer, document, commitment) => {
      const tx = session.add(signer, 'documents.read', { document, via: node.org });
      await session.commit();
      vault.serveOnce(tx);
      return (await vault.open(document, commitment)).bytes;
    },
  };
}
