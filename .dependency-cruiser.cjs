// The layers of docs/architecture.md (DESIGN §7): imports point one way.
//   core <- chain <- log, runtime, ordering <- domains <- consortium, node <- tools, api <- cli
// tools/ (launchers of etcd members and node processes) serves `cluster demo`, tests and benchmarks.
// sdk and each domain's types.ts / client.ts run in browsers; web imports only the SDK.
// A domain imports another only where its manifest's `reads` names it.
// Runs in `npm run build`, so a wrong-way import fails the build.
const { readdirSync, readFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');

const root = __dirname;
const domainsDir = join(root, 'src/domains');
/** Each domain folder and the domains its manifest says it reads. */
const domains = existsSync(domainsDir)
  ? readdirSync(domainsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => {
        const file = join(domainsDir, d.name, 'manifest.ts');
        const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
        const m = /reads:\s*\[([^\]]*)\]/.exec(text);
        const reads = m ? [...m[1].matchAll(/'([a-z-]+)'/g)].map((x) => x[1]) : [];
        return { name: d.name, reads };
      })
  : [];

const layer = (name, mayImport) => ({
  name: `${name.replace(/\//g, '-')}-imports-only-${mayImport.join('-').replace(/\//g, '-') || 'nothing'}`,
  severity: 'error',
  from: { path: `^src/${name}/` },
  to: {
    path: '^src/',
    pathNot: [`^src/${name}/`, ...mayImport.map((l) => `^src/${l}/`)],
  },
});

/** What a domain may import: the layers below it, its own folder, and the domains it reads. */
const domainRules = domains.flatMap(({ name, reads }) => [
  {
    name: `domain-${name}-imports-only-below-and-what-its-manifest-reads`,
    severity: 'error',
    from: { path: `^src/domains/${name}/` },
    to: {
      path: '^src/',
      pathNot: [
        '^src/(core|chain|log|runtime|ordering)/',
        // The SDK's transport and transaction builder, which import no domain (rule below).
        '^src/sdk/(client|build)\\.ts$',
        `^src/domains/${name}/`,
        ...reads.map(
          (r) => `^src/domains/${r}/(manifest|types|text|client|contracts/.*|model|[a-z-]+)\\.ts$`,
        ),
      ],
    },
  },
  {
    name: `domain-${name}-contracts-import-only-core-chain-runtime`,
    comment: 'Contracts are deterministic code: no store, no log, no frames.',
    severity: 'error',
    from: { path: `^src/domains/${name}/contracts/` },
    to: {
      path: '^src/',
      pathNot: [
        '^src/(core|chain|runtime)/(?!ledger|store|sig-|node-|verify|admission)',
        `^src/domains/${name}/(contracts/|types|text|reasons|rules|application|public-types|possession)`,
        ...reads.map((r) => `^src/domains/${r}/(contracts/|types|text|possession)`),
      ],
    },
  },
]);

module.exports = {
  forbidden: [
    layer('core', []),
    layer('chain', ['core']),
    layer('log', ['core', 'chain']),
    layer('runtime', ['core', 'chain', 'log']),
    layer('ordering', ['core', 'chain']),
    ...domainRules,
    layer('consortium', ['core', 'chain', 'log', 'runtime', 'ordering', 'domains']),
    layer('node', ['core', 'chain', 'log', 'runtime', 'ordering', 'domains', 'consortium']),
    layer('sdk', ['core', 'chain', 'domains']),
    layer('api', ['core', 'chain', 'log', 'runtime', 'ordering', 'domains', 'consortium', 'node']),
    layer('cli', [
      'core',
      'chain',
      'log',
      'runtime',
      'ordering',
      'domains',
      'consortium',
      'node',
      'api',
      'sdk',
    ]),
    {
      name: 'tools-import-no-frame',
      comment:
        'The launchers start etcd members and node processes: they may use the node and the consortium, never the API, the CLI or the SDK.',
      severity: 'error',
      from: { path: '^tools/' },
      to: { path: '^src/(api|cli|sdk|web)/' },
    },
    {
      name: 'only-the-cli-imports-tools',
      comment: 'Of the product, only `aidledger cluster demo` launches processes.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^tools/' },
    },
    {
      name: 'only-frames-import-routes-and-commands',
      comment:
        "A domain's routes and commands are mounted by the API and CLI frames, nothing else.",
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(api|cli)/|^src/domains/index\\.ts$' },
      to: { path: '^src/domains/[a-z-]+/(routes|commands)\\.ts$' },
    },
    {
      name: 'sdk-transport-imports-no-domain',
      comment:
        "Domains' clients build on the SDK's transport and builder, so those know no domain.",
      severity: 'error',
      from: { path: '^src/sdk/(client|build)\\.ts$' },
      to: { path: '^src/domains/' },
    },
    {
      name: 'sdk-reaches-domains-only-through-browser-safe-parts',
      severity: 'error',
      from: { path: '^src/sdk/' },
      to: {
        path: '^src/domains/',
        pathNot:
          '^src/domains/(sdk|[a-z-]+/(sdk|manifest|types|text|client|reasons|rules|application|public-types|possession))\\.ts$',
      },
    },
    {
      name: 'browser-code-uses-no-node-builtins',
      comment:
        "core, chain, sdk and each domain's wire types and client run in browsers: no node: imports.",
      severity: 'error',
      from: {
        path: '^src/(core|chain|sdk)/|^src/domains/(sdk|[a-z-]+/(sdk|types|text|client|reasons|rules|application|public-types|possession))\\.ts$',
      },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'web-imports-only-the-sdk',
      comment: 'The web app reaches the ledger only through the SDK, as any outside client would.',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { path: '^src/', pathNot: '^src/sdk/index\\.ts$' },
    },
    {
      name: 'web-uses-no-node-builtins',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { dependencyTypes: ['core'] },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
