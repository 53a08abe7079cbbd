// The layers of docs/architecture.md: imports point one way.
// core <- chain <- contracts <- ledger <- ordering <- node <- api, cli; sdk <- core, chain.
// Runs in `npm run build`, so a wrong-way import fails the build.
const layer = (name, mayImport) => ({
  name: `${name}-imports-only-${mayImport.join('-') || 'nothing'}`,
  severity: 'error',
  from: { path: `^src/${name}/` },
  to: {
    path: '^src/',
    pathNot: [`^src/${name}/`, ...mayImport.map((l) => `^src/${l}/`)],
  },
});

module.exports = {
  forbidden: [
    layer('core', []),
    layer('chain', ['core']),
    layer('contracts', ['core', 'chain']),
    layer('ledger', ['core', 'chain', 'contracts']),
    layer('ordering', ['core', 'chain']),
    layer('vault', ['core']),
    layer('node', ['core', 'chain', 'contracts', 'ledger', 'ordering', 'vault']),
    layer('sdk', ['core', 'chain']),
    layer('api', ['core', 'chain', 'contracts', 'ledger', 'ordering', 'node', 'vault']),
    layer('cli', [
      'core',
      'chain',
      'contracts',
      'ledger',
      'ordering',
      'node',
      'api',
      'sdk',
      'vault',
    ]),
    {
      name: 'browser-code-uses-no-node-builtins',
      comment:
        'core, chain and sdk run in browsers: no node: imports (server hot paths live in ledger/node).',
      severity: 'error',
      from: { path: '^src/(core|chain|sdk)/' },
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
