/**
 * Architecture rules checked on every `npm test` (dependency-cruiser, `npm run deps`). Type-only imports count:
 * a cycle through types is still a cycle a reader has to untangle.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Rooms talk through functions handed in by the composition root (engine.ts), never in a circle.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-plain-node',
      severity: 'error',
      comment: 'src-main/core runs under the CLI, the browser preview and Electron: it never imports electron or a host.',
      from: { path: '^src-main/core/' },
      to: { path: ['^electron$', '^node_modules/electron/', '^src-main/(electron|cli|preview)/'] },
    },
    {
      name: 'renderer-sees-only-the-contract',
      severity: 'error',
      comment: 'The renderer runs in a sandboxed page: from the core it may import the API contract, domain types and the vocabulary only.',
      from: { path: '^src-renderer/' },
      to: { path: '^src-main/', pathNot: ['^src-main/core/api/contract\\.ts$', '^src-main/core/domain\\.ts$', '^src-main/core/vocabulary/'] },
    },
    {
      name: 'vocabulary-has-no-dependencies',
      severity: 'error',
      comment: 'The preload and the renderer import the vocabulary: no zod, no node, no other room.',
      from: { path: '^src-main/core/vocabulary/' },
      to: { pathNot: '^src-main/core/vocabulary/' },
    },
    {
      name: 'sql-only-in-store',
      severity: 'error',
      comment: 'Only store/ (one module per table) talks to better-sqlite3; rooms use its functions.',
      from: { path: '^src-main/', pathNot: '^src-main/core/store/' },
      to: { path: '^node_modules/better-sqlite3/' , dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^out/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
