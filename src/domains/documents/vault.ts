/**
 * The node's vault of documents: each one encrypted at rest under its own random AES-256-GCM key
 * (node:crypto), its ciphertext a file under `<node dir>/documents/`, its key, nonce, tag and salt
 * in the node-local `document_vault` table (projections.ts), never on the ledger. An upload is
 * streamed to disk as it arrives (never held whole in memory), its format told by its first
 * bytes, its size capped; it waits for the `documents.attach` that names its commitment and is
 * deleted if none comes in time. Opening a document checks the GCM tag and the commitment, so
 * bytes altered on disk are detected and never served.
 *
 * Abuse: each caller may have a few uploads running, a few waiting to be attached and a bounded
 * number of bytes waiting; the node as a whole too. Expired uploads and stray files are swept.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, statSync, type WriteStream } from 'node:fs';
import { readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { AidError } from '../../core/errors.js';
import { SlidingWindow } from '../../core/sliding-window.js';
import type { VaultRow } from './projections.js';
import { SNIFF_BYTES, sniffFormat } from './sniff.js';
import { MAX_DOCUMENT_BYTES, type DocumentFormat, type Upload } from './types.js';

export interface VaultLimits {
  /** The largest document (bytes). */
  maxBytes: number;
  /** How long an upload waits for its attachment (ms). */
  pendingMs: number;
  /** Uploads one caller may have waiting, and their bytes. */
  pendingPerCaller: number;
  pendingBytesPerCaller: number;
  /** Bytes waiting on the whole node. */
  pendingBytesPerNode: number;
  /** Uploads one caller may have running at once, and the node. */
  runningPerCaller: number;
  runningPerNode: number;
  /** Uploads one caller may start an hour. */
  uploadsPerCallerPerHour: number;
  /** Documents the node decrypts at once (each up to `maxBytes` in memory). */
  openingPerNode: number;
}

export const DEFAULT_VAULT_LIMITS: VaultLimits = {
  maxBytes: MAX_DOCUMENT_BYTES,
  pendingMs: 60 * 60_000,
  pendingPerCaller: 20,
  pendingBytesPerCaller: 200 * 1024 * 1024,
  pendingBytesPerNode: 4 * 1024 * 1024 * 1024,
  runningPerCaller: 2,
  runningPerNode: 8,
  uploadsPerCallerPerHour: 120,
  openingPerNode: 8,
};

/** A document opened from the vault: its bytes, checked against the tag and the commitment. */
export interface OpenedDocument {
  bytes: Buffer;
  format: DocumentFormat;
  salt: Buffer;
}

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

function limited(message: string, retryAfter: number): AidError {
  return new AidError('RATE_LIMITED', message, { details: { retryAfter } });
}

export class DocumentVault {
  readonly dir: string;
  private readonly st;
  private readonly running = new Map<string, number>();
  private runningTotal = 0;
  private opening = 0;
  private readonly starts: SlidingWindow;
  private lastSweep = 0;

  /**
   * @param db the node's SQLite file, whose `document_vault` table (projections.ts) keeps keys
   * @param nodeDir the node's directory: ciphertexts go under `documents/` in it
   * @param org the node's organisation: the holder an attachment of its uploads must name
   */
  constructor(
    private readonly db: Database.Database,
    nodeDir: string,
    private readonly org: string,
    private readonly clock: () => number,
    readonly limits: VaultLimits = DEFAULT_VAULT_LIMITS,
  ) {
    this.dir = join(nodeDir, 'documents');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.starts = new SlidingWindow({
      limit: limits.uploadsPerCallerPerHour,
      windowMs: 60 * 60_000,
      maxKeys: 100_000,
    });
    this.st = {
      insert: db.prepare<[VaultRow]>(
        'INSERT INTO document_vault (commitment, document, uploader, holder, format, size, salt, key, iv, tag, file, created) VALUES (@commitment, @document, @uploader, @holder, @format, @size, @salt, @key, @iv, @tag, @file, @created)',
      ),
      pendingOf: db.prepare<[string], { n: number; bytes: number | null }>(
        'SELECT count(*) AS n, sum(size) AS bytes FROM document_vault WHERE uploader = ? AND document IS NULL',
      ),
      pendingAll: db
        .prepare<[], number | null>('SELECT sum(size) FROM document_vault WHERE document IS NULL')
        .pluck(),
      expired: db.prepare<[number], { commitment: string; file: string }>(
        'SELECT commitment, file FROM document_vault WHERE document IS NULL AND created < ?',
      ),
      drop: db.prepare<[string]>(
        'DELETE FROM document_vault WHERE commitment = ? AND document IS NULL',
      ),
      byDocument: db.prepare<[string], VaultRow>('SELECT * FROM document_vault WHERE document = ?'),
      files: db.prepare<[], string>('SELECT file FROM document_vault').pluck(),
      served: db.prepare<[string, number]>(
        'INSERT OR IGNORE INTO document_served (tx, time) VALUES (?, ?)',
      ),
    };
    this.sweep(true);
  }

  /**
   * Takes an upload from `body`: checks the caller's and the node's limits before reading a byte,
   * tells the format by the first bytes, encrypts as it writes, and keeps the key beside the
   * others. @throws AidError RATE_LIMITED, TOO_LARGE, UNSUPPORTED_TYPE, BAD_REQUEST (empty).
   */
  async receive(
    uploader: string,
    body: AsyncIterable<Uint8Array>,
    declaredLength: number | undefined,
  ): Promise<Upload> {
    const L = this.limits;
    if (declaredLength !== undefined && declaredLength > L.maxBytes)
      throw new AidError('TOO_LARGE', `a document is at most ${L.maxBytes} bytes`, {
        details: { limit: L.maxBytes },
      });
    const now = this.clock();
    this.sweep();
    if ((this.running.get(uploader) ?? 0) >= L.runningPerCaller)
      throw limited('wait for your other uploads to finish', 5);
    if (this.runningTotal >= L.runningPerNode)
      throw limited('the node takes no more uploads at the moment', 5);
    const pending = this.st.pendingOf.get(uploader) ?? { n: 0, bytes: 0 };
    if (pending.n >= L.pendingPerCaller || (pending.bytes ?? 0) >= L.pendingBytesPerCaller)
      throw limited('attach or let expire the documents you uploaded before', 600);
    if ((this.st.pendingAll.get() ?? 0) >= L.pendingBytesPerNode)
      throw limited('the node holds too many unattached uploads', 600);
    const wait = this.starts.wait(uploader, now);
    if (wait > 0) throw limited('too many uploads this hour', Math.ceil(wait / 1000));
    this.starts.hit(uploader, now);

    this.running.set(uploader, (this.running.get(uploader) ?? 0) + 1);
    this.runningTotal++;
    const tmp = join(this.dir, `incoming-${randomBytes(12).toString('hex')}`);
    let out: WriteStream | undefined;
    try {
      const key = randomBytes(32);
      const iv = randomBytes(12);
      const salt = randomBytes(32);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const hash = createHash('sha256').update(salt);
      out = createWriteStream(tmp, { mode: 0o600 });
      const file = out;
      const write = (b: Buffer) =>
        new Promise<void>((resolve, reject) => {
          if (b.length === 0) return resolve();
          file.write(b, (e) => (e ? reject(e) : resolve()));
        });
      let size = 0;
      let head = Buffer.alloc(0);
      let format: DocumentFormat | undefined;
      // Read by hand: leaving the loop early must not destroy the request under the answer.
      const chunks = body[Symbol.asyncIterator]();
      for (;;) {
        const next = await chunks.next();
        if (next.done === true) break;
        const chunk = next.value;
        const c = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        size += c.length;
        if (size > L.maxBytes)
          throw new AidError('TOO_LARGE', `a document is at most ${L.maxBytes} bytes`, {
            details: { limit: L.maxBytes },
          });
        if (format === undefined) {
          head = Buffer.concat([head, c.subarray(0, SNIFF_BYTES - head.length)]);
          if (head.length >= SNIFF_BYTES || sniffFormat(head) !== undefined) {
            format = sniffFormat(head);
            if (format === undefined) throw unsupported();
          }
        }
        hash.update(c);
        await write(cipher.update(c));
      }
      if (size === 0) throw new AidError('BAD_REQUEST', 'the document is empty');
      format ??= sniffFormat(head);
      if (format === undefined) throw unsupported();
      await write(cipher.final());
      await new Promise<void>((resolve, reject) =>
        file.end((e?: Error | null) => (e ? reject(e) : resolve())),
      );
      const commitment = hash.digest('hex');
      const path = join(this.dir, `${commitment}.aes`);
      await rename(tmp, path);
      this.st.insert.run({
        commitment,
        document: null,
        uploader,
        holder: this.org,
        format,
        size,
        salt,
        key,
        iv,
        tag: cipher.getAuthTag(),
        file: path,
        created: now,
      });
      return { commitment, format, size, holder: this.org, expires: now + L.pendingMs };
    } catch (e) {
      out?.destroy();
      await unlink(tmp).catch(() => undefined);
      throw e;
    } finally {
      const n = (this.running.get(uploader) ?? 1) - 1;
      if (n === 0) this.running.delete(uploader);
      else this.running.set(uploader, n);
      this.runningTotal--;
    }
  }

  /** Whether this node holds the document's key. */
  holds(document: string): boolean {
    return this.st.byDocument.get(document) !== undefined;
  }

  /**
   * Decrypts a document this node holds and checks it: the GCM tag (the ciphertext, nonce and
   * key are as written) and the commitment the ledger keeps (the bytes are the ones attached).
   * @throws AidError NOT_FOUND (not held here), TAMPERED, RATE_LIMITED.
   */
  async open(document: string, commitment: string): Promise<OpenedDocument> {
    const row = this.st.byDocument.get(document);
    if (!row) throw new AidError('NOT_FOUND', 'this node does not hold the document');
    if (this.opening >= this.limits.openingPerNode)
      throw limited('the node is serving many documents; try again', 2);
    this.opening++;
    try {
      let cipher: Buffer;
      try {
        cipher = await readFile(row.file);
      } catch {
        throw new AidError('TAMPERED', 'the document’s encrypted bytes are missing from the vault');
      }
      let bytes: Buffer;
      try {
        const d = createDecipheriv('aes-256-gcm', row.key, row.iv);
        d.setAuthTag(row.tag);
        bytes = Buffer.concat([d.update(cipher), d.final()]);
      } catch {
        throw new AidError('TAMPERED', 'the document’s bytes were altered at rest');
      }
      if (
        bytes.length !== row.size ||
        sha256(row.salt, bytes).toString('hex') !== commitment ||
        row.commitment !== commitment
      )
        throw new AidError('TAMPERED', 'the document does not match its commitment');
      return { bytes, format: row.format as DocumentFormat, salt: row.salt };
    } finally {
      this.opening--;
    }
  }

  /**
   * Marks a read transaction as served: each read is served once.
   * @throws AidError ALREADY_SERVED.
   */
  serveOnce(readTx: string): void {
    if (this.st.served.run(readTx, this.clock()).changes === 0)
      throw new AidError('ALREADY_SERVED', 'this read was served already: sign a new one');
  }

  /**
   * Deletes uploads nobody attached in time, and files no row names (an upload cut off by a
   * crash). At most once a minute unless `force`.
   */
  sweep(force = false): void {
    const now = this.clock();
    if (!force && now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const r of this.st.expired.all(now - this.limits.pendingMs)) {
      this.st.drop.run(r.commitment);
      void unlink(r.file).catch(() => undefined);
    }
    const known = new Set(this.st.files.all());
    for (const name of readdirSync(this.dir)) {
      const path = join(this.dir, name);
      if (known.has(path)) continue;
      // A file being written (or just renamed, its row not yet in) is younger than a minute by
      // the file system's clock; anything older that no row names is a leftover.
      try {
        if (Date.now() - statSync(path).mtimeMs < 60_000) continue;
      } catch {
        continue;
      }
      void unlink(path).catch(() => undefined);
    }
  }
}

function unsupported(): AidError {
  return new AidError('UNSUPPORTED_TYPE', 'a document is a PDF, a JPEG or a PNG', {
    details: { accepted: ['application/pdf', 'image/jpeg', 'image/png'] },
  });
}
