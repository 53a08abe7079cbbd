/**
 * The fund flows as a diagram needs them: one node per source, program, hospital or outcome, in
 * three columns (sources, programs, where the money went), with exact totals in minor units.
 */
import type { FlowEnd, FundFlow } from '@sdk';

export interface FlowNode {
  key: string;
  end: FlowEnd;
  /** 0: sources; 1: programs and unassigned general donations; 2: hospitals and outcomes. */
  depth: 0 | 1 | 2;
  /** max(money in, money out), exact. */
  total: bigint;
}

export function flowKey(e: FlowEnd): string {
  switch (e.kind) {
    case 'donors':
      return `donors:${e.donor}`;
    case 'allocation':
    case 'unassigned':
    case 'hospital':
      return `${e.kind}:${e.org}`;
    case 'program':
      return `program:${e.program}`;
    case 'available':
    case 'returned':
      return e.kind;
  }
}

function depthOf(e: FlowEnd): 0 | 1 | 2 {
  switch (e.kind) {
    case 'donors':
    case 'allocation':
      return 0;
    case 'program':
    case 'unassigned':
      return 1;
    default:
      return 2;
  }
}

/** The flows grouped by currency (a diagram never adds two currencies). */
export function byCurrency(flows: readonly FundFlow[]): Map<string, FundFlow[]> {
  const out = new Map<string, FundFlow[]>();
  for (const f of flows) out.set(f.currency, [...(out.get(f.currency) ?? []), f]);
  return out;
}

/** The nodes of one currency's flows, in the order they first appear. */
export function flowNodes(flows: readonly FundFlow[]): FlowNode[] {
  const nodes = new Map<string, FlowNode & { in: bigint; out: bigint }>();
  const touch = (e: FlowEnd) => {
    const key = flowKey(e);
    let n = nodes.get(key);
    if (!n) {
      n = { key, end: e, depth: depthOf(e), total: 0n, in: 0n, out: 0n };
      nodes.set(key, n);
    }
    return n;
  };
  for (const f of flows) {
    touch(f.from).out += BigInt(f.amount);
    touch(f.to).in += BigInt(f.amount);
  }
  return [...nodes.values()].map(({ in: i, out: o, ...n }) => ({ ...n, total: i > o ? i : o }));
}

/** How many sources, programs and hospitals the flows connect (for the diagram's label). */
export function flowCounts(flows: readonly FundFlow[]) {
  const nodes = flowNodes(flows);
  const count = (kinds: FlowEnd['kind'][]) =>
    nodes.filter((n) => kinds.includes(n.end.kind)).length;
  return {
    sources: count(['donors', 'allocation']),
    programs: count(['program']),
    hospitals: count(['hospital']),
  };
}
