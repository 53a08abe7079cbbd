/**
 * The documents domain's node-local tables, created with the node's SQLite file and following
 * committed writes in each block's SQLite transaction: the vault of the documents this node holds
 * (per document: its random AES-256-GCM key, nonce and tag, its salt, its file) and the reads it
 * served. None of it is state, a leaf or a private part: it never travels to another node and no
 * digest covers it. When a block attaches an upload this node holds, the upload becomes the
 * document; when a block erases a document, its key and salt are destroyed in that same SQLite
 * transaction, and its ciphertext file right after.
 */
import { unlink } from 'node:fs/promises';
import type Database from 'better-sqlite3';
import type { ReadModel, ReadModelSpec } from '../../runtime/registry.js';
import type { DocumentRecord } from './types.js';

export interface VaultRow {
  commitment: string;
  document: string | null;
  uploader: string;
  holder: string;
  format: string;
  size: number;
  salt: Buffer;
  key: Buffer;
  iv: Buffer;
  tag: Buffer;
  file: string;
  created: number;
}

function prepare(db: Database.Database) {
  return {
    // Only an attachment that names what the upload is (its format, as its bytes told) and where
    // it is (this node's organisation) makes it a document; any other names nothing held here.
    attach: db.prepare<[string, string, string, string]>(
      'UPDATE document_vault SET document = ? WHERE commitment = ? AND format = ? AND holder = ? AND document IS NULL',
    ),
    byDocument: db.prepare<[string], VaultRow>('SELECT * FROM document_vault WHERE document = ?'),
    shred: db.prepare<[string]>(
      'UPDATE document_vault SET key = zeroblob(32), salt = zeroblob(32), iv = zeroblob(12), tag = zeroblob(16) WHERE document = ?',
    ),
    drop: db.prepare<[string]>('DELETE FROM document_vault WHERE document = ?'),
  };
}

export class DocumentVaultModel implements ReadModel {
  /** Prepared on first use: a read-only file (verify) may predate the tables. */
  private statements: ReturnType<typeof prepare> | undefined;

  constructor(private readonly db: Database.Database) {}

  private get st(): ReturnType<typeof prepare> {
    return (this.statements ??= prepare(this.db));
  }

  apply(writes: ReadonlyMap<string, string | null>): void {
    const files: string[] = [];
    for (const [key, value] of writes) {
      if (!key.startsWith('documents/d/') || value === null) continue;
      const doc = JSON.parse(value) as DocumentRecord;
      if (doc.status === 'active') {
        this.st.attach.run(doc.id, doc.commitment, doc.format, doc.holder);
      } else {
        const row = this.st.byDocument.get(doc.id);
        if (!row) continue;
        // Crypto-shredding: the key is overwritten, then the row goes (secure_delete zeroes the
        // freed cells too); the ciphertext is useless without it and is deleted after the commit.
        this.st.shred.run(doc.id);
        this.st.drop.run(doc.id);
        files.push(row.file);
      }
    }
    if (files.length > 0)
      setImmediate(() => {
        for (const f of files) void unlink(f).catch(() => undefined);
        try {
          // The write-ahead log may still hold the pages with the key: fold it in and empty it.
          this.db.pragma('wal_checkpoint(TRUNCATE)');
        } catch {
          // A reader holds the log; the next checkpoint reuses it.
        }
      });
  }
}

export const DOCUMENT_VAULT: ReadModelSpec<DocumentVaultModel> = {
  name: 'document_vault',
  schema: `
    CREATE TABLE IF NOT EXISTS document_vault (
      commitment TEXT PRIMARY KEY,
      document TEXT UNIQUE,
      uploader TEXT NOT NULL,
      holder TEXT NOT NULL,
      format TEXT NOT NULL,
      size INTEGER NOT NULL,
      salt BLOB NOT NULL,
      key BLOB NOT NULL,
      iv BLOB NOT NULL,
      tag BLOB NOT NULL,
      file TEXT NOT NULL,
      created INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS document_vault_uploader ON document_vault (uploader, document);
    CREATE TABLE IF NOT EXISTS document_served (tx TEXT PRIMARY KEY, time INTEGER NOT NULL);
  `,
  open(db) {
    // Deleted cells are overwritten with zeros, so an erased key does not linger in free pages.
    if (!db.readonly) db.pragma('secure_delete = ON');
    return new DocumentVaultModel(db);
  },
};
