/**
 * The layers of DESIGN §7 are enforced by the build: `npm run build` ends with dependency-cruiser
 * over src, web/src and tools. This test copies the sources to a scratch directory, plants one wrong-way
 * import of each kind the rules forbid, runs the build's own check there and sees every one
 * refused by the rule that names it, while the untouched copy passes.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tempDir } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/** The dependency check exactly as the build script runs it. */
function buildCheck(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: { build: string };
  };
  const step = pkg.scripts.build.split('&&').find((s) => s.trim().startsWith('depcruise'));
  assert.ok(step, 'the build runs dependency-cruiser');
  return step.trim().split(/\s+/).slice(1);
}

/** A scratch copy of what the check reads. */
function scratch(): { dir: string; cleanup: () => void } {
  const t = tempDir('aidledger-deps-');
  for (const p of [
    'src',
    'web/src',
    'tools',
    'tsconfig.json',
    '.dependency-cruiser.cjs',
    'package.json',
  ])
    cpSync(join(ROOT, p), join(t.dir, p), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(t.dir, 'node_modules'));
  return t;
}

async function check(dir: string): Promise<{ code: number; out: string }> {
  const bin = join(ROOT, 'node_modules/.bin/depcruise');
  try {
    const r = await run(bin, buildCheck(), { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

/** Each wrong-way import, the file it is planted in, and the rule that must refuse it. */
const PLANTS: { file: string; line: string; rule: RegExp; what: string }[] = [
  {
    what: 'the core reaching up into the runtime',
    file: 'src/core/wrong-way.ts',
    line: "import '../runtime/ledger.js';",
    rule: /core-imports-only-nothing: src\/core\/wrong-way\.ts/,
  },
  {
    what: 'the runtime importing a domain',
    file: 'src/runtime/wrong-way.ts',
    line: "import '../domains/protocols.js';",
    rule: /runtime-imports-only-core-chain-log: src\/runtime\/wrong-way\.ts/,
  },
  {
    what: 'the log importing the runtime',
    file: 'src/log/wrong-way.ts',
    line: "import '../runtime/contract.js';",
    rule: /log-imports-only-core-chain: src\/log\/wrong-way\.ts/,
  },
  {
    what: 'a contract reaching the store',
    file: 'src/domains/aid/contracts/wrong-way.ts',
    line: "import '../../../runtime/store.js';",
    rule: /domain-aid-contracts-import-only-core-chain-runtime: src\/domains\/aid\/contracts\/wrong-way\.ts/,
  },
  {
    what: 'a domain reading one its manifest does not name',
    file: 'src/domains/membership/wrong-way.ts',
    line: "import '../aid/model.js';",
    rule: /domain-membership-imports-only-below-and-what-its-manifest-reads: src\/domains\/membership\/wrong-way\.ts/,
  },
  {
    what: 'a domain importing a frame',
    file: 'src/domains/aid/wrong-way.ts',
    line: "import '../../api/server.js';",
    rule: /domain-aid-imports-only-below-and-what-its-manifest-reads: src\/domains\/aid\/wrong-way\.ts/,
  },
  {
    what: "the node importing a domain's routes",
    file: 'src/node/wrong-way.ts',
    line: "import '../domains/aid/routes.js';",
    rule: /only-frames-import-routes-and-commands: src\/node\/wrong-way\.ts/,
  },
  {
    what: "a domain's browser-safe client using a Node built-in",
    file: 'src/domains/aid/client.ts',
    line: "import 'node:fs';",
    rule: /browser-code-uses-no-node-builtins: src\/domains\/aid\/client\.ts/,
  },
  {
    what: 'a launcher importing the CLI',
    file: 'tools/wrong-way.ts',
    line: "import '../src/cli/main.js';",
    rule: /tools-import-no-frame: tools\/wrong-way\.ts/,
  },
  {
    what: 'the consortium importing a launcher',
    file: 'src/consortium/wrong-way.ts',
    line: "import '../../tools/etcd.js';",
    rule: /only-the-cli-imports-tools: src\/consortium\/wrong-way\.ts/,
  },
  {
    what: 'the web app reaching past the SDK',
    file: 'web/src/wrong-way.ts',
    line: "import '../../src/runtime/ledger.js';",
    rule: /web-imports-only-the-sdk: web\/src\/wrong-way\.ts/,
  },
];

describe('dependency rules', () => {
  it('the sources as they are pass the build’s check', async () => {
    const t = scratch();
    try {
      const r = await check(t.dir);
      assert.equal(r.code, 0, r.out);
    } finally {
      t.cleanup();
    }
  });

  it('a wrong-way import of each kind fails the build’s check, named by its rule', async () => {
    const t = scratch();
    try {
      for (const p of PLANTS) {
        const path = join(t.dir, p.file);
        if (p.file.endsWith('client.ts')) appendFileSync(path, `\n${p.line}\n`);
        else writeFileSync(path, `${p.line}\nexport {};\n`);
      }
      const r = await check(t.dir);
      assert.notEqual(r.code, 0, 'the check refuses the planted imports');
      for (const p of PLANTS) assert.match(r.out, p.rule, p.what);
    } finally {
      t.cleanup();
    }
  });
});
