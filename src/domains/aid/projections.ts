/**
 * Query projections: tables derived from the contract state, written in the same SQLite
 * transaction as the block whose writes they follow, so they are never behind or ahead of it.
 * The case index answers the filters of the case lists (program, state, hospital, dates).
 */
import type Database from 'better-sqlite3';
import type { CaseRecord, CaseState } from './contracts/case-record.js';
import { caseKeys } from './contracts/case-record.js';
import type { CaseRow } from './types.js';
import type { ReadModel, ReadModelSpec } from '../../runtime/registry.js';

export const PROJECTION_SCHEMA = `
CREATE TABLE IF NOT EXISTS case_index (
  id TEXT PRIMARY KEY,
  program TEXT NOT NULL,
  owner TEXT NOT NULL,
  hospital TEXT NOT NULL,
  applicant TEXT NOT NULL,
  state TEXT NOT NULL,
  submitted INTEGER NOT NULL,
  updated INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS case_by_program ON case_index (program, submitted, id);
CREATE INDEX IF NOT EXISTS case_by_owner ON case_index (owner, submitted, id);
CREATE INDEX IF NOT EXISTS case_by_hospital ON case_index (hospital, submitted, id);
CREATE INDEX IF NOT EXISTS case_by_applicant ON case_index (applicant, submitted, id);
CREATE INDEX IF NOT EXISTS case_by_submitted ON case_index (submitted, id);
`;

const CASE_PREFIX = caseKeys.case('');

export interface CaseFilter {
  program?: string;
  state?: CaseState;
  /** Any of these states (a work queue: the states that wait for one role). */
  states?: readonly CaseState[];
  hospital?: string;
  /** Cases of programs this organisation runs. */
  owner?: string;
  /** Either of these organisations: the case's hospital or its program's owner. */
  org?: string;
  applicant?: string;
  /** Case ids that begin with these lowercase hex digits (a search by case number). */
  idPrefix?: string;
  /** Submitted at or after, ms. */
  from?: number;
  /** Submitted before, ms. */
  to?: number;
  /** Case IDs from `from` (inclusive) to `to` (exclusive): a case reference's range. */
  ids?: { from: string; to: string };
  /** Continue after this (submitted, id) position: the cursor of the previous page. */
  after?: { submitted: number; id: string };
  limit: number;
}

export type { CaseRow };

export class CaseIndex {
  private readonly upsert: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.upsert = db.prepare(
      `INSERT INTO case_index (id, program, owner, hospital, applicant, state, submitted, updated)
       VALUES (@id, @program, @owner, @hospital, @applicant, @state, @submitted, @updated)
       ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated = excluded.updated,
         applicant = excluded.applicant`,
    );
  }

  /** Follows a block's state writes; runs inside the block's transaction. */
  apply(writes: ReadonlyMap<string, string | null>): void {
    for (const [key, value] of writes) {
      if (!key.startsWith(CASE_PREFIX) || value === null) continue;
      const c = JSON.parse(value) as CaseRecord;
      this.upsert.run({
        id: c.id,
        program: c.program,
        owner: c.owner,
        hospital: c.hospital,
        applicant: c.applicant.kind === 'account' ? c.applicant.key : c.applicant.member,
        state: c.state,
        submitted: c.submitted,
        updated: c.updated,
      });
    }
  }

  /** The WHERE clause and arguments of a filter (all but paging). */
  private where(f: Omit<CaseFilter, 'limit'>): {
    sql: string;
    args: Record<string, string | number>;
  } {
    const where: string[] = [];
    const args: Record<string, string | number> = {};
    const eq = (col: string, v: string | undefined) => {
      if (v === undefined) return;
      where.push(`${col} = @${col}`);
      args[col] = v;
    };
    eq('program', f.program);
    eq('state', f.state);
    if (f.states !== undefined && f.states.length > 0) {
      const names = f.states.map((st, i) => {
        args[`st${i}`] = st;
        return `@st${i}`;
      });
      where.push(`state IN (${names.join(', ')})`);
    }
    eq('hospital', f.hospital);
    eq('owner', f.owner);
    eq('applicant', f.applicant);
    if (f.org !== undefined) {
      where.push('(hospital = @org OR owner = @org)');
      args.org = f.org;
    }
    if (f.idPrefix !== undefined) {
      // Case ids are lowercase hex: every id with the prefix sorts between it and prefix + 'g'.
      where.push('id >= @idLo AND id < @idHi');
      args.idLo = f.idPrefix;
      args.idHi = `${f.idPrefix}g`;
    }
    if (f.from !== undefined) {
      where.push('submitted >= @from');
      args.from = f.from;
    }
    if (f.to !== undefined) {
      where.push('submitted < @to');
      args.to = f.to;
    }
    if (f.ids !== undefined) {
      where.push('id >= @idFrom AND id < @idTo');
      args.idFrom = f.ids.from;
      args.idTo = f.ids.to;
    }
    if (f.after) {
      where.push('(submitted < @afterT OR (submitted = @afterT AND id < @afterId))');
      args.afterT = f.after.submitted;
      args.afterId = f.after.id;
    }
    return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', args };
  }

  /** Newest first, paged by a (submitted, id) cursor. */
  query(f: CaseFilter): CaseRow[] {
    const w = this.where(f);
    const sql = `SELECT id, program, owner, hospital, state, submitted, updated FROM case_index
      ${w.sql}
      ORDER BY submitted DESC, id DESC LIMIT @limit`;
    return this.db
      .prepare<[Record<string, string | number>], CaseRow>(sql)
      .all({ ...w.args, limit: f.limit });
  }

  /** How many cases a filter matches in each state (its own state and paging ignored). */
  countStates(f: Omit<CaseFilter, 'limit' | 'state' | 'states' | 'after'>): Record<string, number> {
    const w = this.where(f);
    const rows = this.db
      .prepare<[Record<string, string | number>], { state: string; n: number }>(
        `SELECT state, count(*) AS n FROM case_index ${w.sql} GROUP BY state`,
      )
      .all(w.args);
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  /** How many cases are in each state, for a program or all. */
  countByState(program?: string): Record<string, number> {
    const rows = this.db
      .prepare<[Record<string, string>], { state: string; n: number }>(
        `SELECT state, count(*) AS n FROM case_index ${program ? 'WHERE program = @program' : ''} GROUP BY state`,
      )
      .all(program ? { program } : {});
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }
}

/** The case index as a read model the ledger keeps beside each block. */
export const CASE_INDEX: ReadModelSpec<CaseIndex> = {
  name: 'aid/case-index',
  schema: PROJECTION_SCHEMA,
  open: (db) => new CaseIndex(db),
};

/** The case index of a ledger. */
export function caseIndex(ledger: {
  readModel<T extends ReadModel>(spec: ReadModelSpec<T>): T;
}): CaseIndex {
  return ledger.readModel(CASE_INDEX);
}
