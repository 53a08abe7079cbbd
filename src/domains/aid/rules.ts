/**
 * Program rules as CEL (Common Expression Language) expressions over a case's facts. The same
 * code decides on every node and previews eligibility in a browser, so evaluation must be exact:
 * integers are int64 (`bigint`), and anything with floating point is refused when a rule is
 * compiled (double literals, `double()` conversions) or when facts are bound (JS numbers).
 */
import type * as Cel from '@bufbuild/cel';
import { AidError } from '../../core/errors.js';

/**
 * The CEL engine, loaded on first use: most processes that load the contracts (signature
 * workers, verifiers of other contracts) never compile a rule, and the engine costs each thread
 * several megabytes. On Node it loads synchronously through the built-in module loader; a
 * browser awaits `loadRules()` once before compiling.
 */
let cel: typeof Cel | undefined;

function engine(): typeof Cel {
  if (cel) return cel;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = proc?.getBuiltinModule?.('module') as
    { createRequire(from: string): (id: string) => unknown } | undefined;
  if (!mod) throw new AidError('CONFIG', 'call loadRules() before compiling a rule');
  cel = mod.createRequire(import.meta.url)('@bufbuild/cel') as typeof Cel;
  return cel;
}

/** Loads the CEL engine ahead of use (needed once in browsers; harmless elsewhere). */
export async function loadRules(): Promise<void> {
  cel ??= await import('@bufbuild/cel');
}

export type FactValue = bigint | string | boolean | readonly bigint[] | readonly string[];
export type Facts = Readonly<Record<string, FactValue>>;

export interface CompiledRule {
  readonly expr: string;
  /** The fact names the rule reads. */
  readonly reads: readonly string[];
  evaluate(facts: Facts): RuleOutcome;
}

export type RuleOutcome = { ok: true; value: boolean } | { ok: false; error: string };

const MAX_RULE_LENGTH = 2000;
const FORBIDDEN_CALLS = new Set(['double', 'timestamp', 'duration', 'getDate', 'getFullYear']);

/** Walks the parsed expression: no floating point, no clock-like calls; collects identifiers. */
function inspect(node: unknown, reads: Set<string>, bound: Set<string>, depth = 0): void {
  if (depth > 200) throw new AidError('MALFORMED', 'rule is nested too deeply');
  if (Array.isArray(node)) {
    for (const n of node) inspect(n, reads, bound, depth + 1);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (o.$typeName === 'cel.expr.Constant') {
    const kind = (o.constantKind as { case?: string } | undefined)?.case;
    if (kind === 'doubleValue')
      throw new AidError('MALFORMED', 'rules use integers only: no decimal numbers');
  }
  if (o.$typeName === 'cel.expr.Expr.Call' && FORBIDDEN_CALLS.has(o.function as string)) {
    throw new AidError('MALFORMED', `rules may not call ${String(o.function)}()`);
  }
  if (o.$typeName === 'cel.expr.Expr.Ident') reads.add(o.name as string);
  // Macros (exists, all, map, filter) expand to comprehensions with their own variables.
  if (o.$typeName === 'cel.expr.Expr.Comprehension') {
    for (const k of ['iterVar', 'iterVar2', 'accuVar'])
      if (typeof o[k] === 'string' && o[k]) bound.add(o[k]);
  }
  for (const [k, v] of Object.entries(o))
    if (k !== '$typeName') inspect(v, reads, bound, depth + 1);
}

/** Compiles a rule once. @throws AidError MALFORMED when it does not parse or uses floats. */
export function compileRule(expr: string): CompiledRule {
  if (typeof expr !== 'string' || expr.length === 0 || expr.length > MAX_RULE_LENGTH) {
    throw new AidError('MALFORMED', `a rule is 1 to ${MAX_RULE_LENGTH} characters`);
  }
  let parsed;
  try {
    parsed = engine().parse(expr);
  } catch (cause) {
    throw new AidError('MALFORMED', `rule does not parse: ${(cause as Error).message}`, { cause });
  }
  const reads = new Set<string>();
  const bound = new Set<string>();
  inspect(parsed, reads, bound);
  const { plan, celEnv, isCelError } = engine();
  const run = plan(celEnv(), parsed);
  return {
    expr,
    reads: [...reads].filter((r) => !bound.has(r)).sort(),
    evaluate(facts) {
      for (const [name, v] of Object.entries(facts)) {
        const bad =
          typeof v === 'number' || (Array.isArray(v) && v.some((x) => typeof x === 'number'));
        if (bad) return { ok: false, error: `fact ${name} is a JS number: integers are bigint` };
      }
      let result: unknown;
      try {
        result = run(facts as Record<string, never>);
      } catch (e) {
        return { ok: false, error: (e as Error).message };
      }
      if (isCelError(result)) return { ok: false, error: result.message };
      if (typeof result !== 'boolean')
        return { ok: false, error: 'rule does not evaluate to true or false' };
      return { ok: true, value: result };
    },
  };
}
