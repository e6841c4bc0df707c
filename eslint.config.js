// Lint rules for the whole repository: TypeScript, React hooks, React Three Fiber, and module boundaries
// (no cycles, no imports across features, core stays engine-free) as DESIGN.md lays them out.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import r3f from '@react-three/eslint-plugin';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';

const features = ['catalog', 'product', 'showroom', 'cart', 'checkout', 'orders', 'offline'];
const browserLayers = ['app', 'features', 'scene', 'xr', 'db', 'sync', 'pwa'].map((d) => `./src/${d}`);

/**
 * Which folder may not import which (DESIGN.md: app → features → scene/xr → core; server and cli → protocol/core;
 * server and cli → publish → protocol/core, publish being the Node-only layer they share).
 */
const boundaries = [
  ...features.map((feature) => ({
    target: `./src/features/${feature}`,
    from: features.filter((f) => f !== feature).map((f) => `./src/features/${f}`),
    message: 'Features do not import each other; compose them in src/app.',
  })),
  {
    target: './src/core',
    from: [...browserLayers, './src/server', './src/cli', './src/publish'],
    message: 'core/ is the engine-free domain: it imports nothing but protocol types.',
  },
  {
    target: './src/scene',
    from: ['./src/app', './src/features', './src/db', './src/sync', './src/pwa'],
    message: 'scene/ holds building blocks: props in, no I/O.',
  },
  {
    target: ['./src/db', './src/sync'],
    from: ['./src/features', './src/app', './src/scene'],
    message: 'db/ and sync/ are data layers: the UI and the 3D scene use them, never the other way round.',
  },
  {
    target: './src/features',
    from: './src/app',
    message: 'Features do not import the app shell; src/app composes the features.',
  },
  {
    target: ['./src/server', './src/cli'],
    from: browserLayers,
    message: 'Server and CLI depend only on protocol/, core/ and publish/.',
  },
  {
    target: './src/publish',
    from: [...browserLayers, './src/server', './src/cli'],
    message: 'publish/ (brand folder validation, model optimisation) depends only on protocol/ and core/.',
  },
  {
    target: browserLayers,
    from: ['./src/server', './src/cli', './src/publish'],
    message: 'Browser code does not import the server, the CLI or the Node-only publish layer.',
  },
];

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'data', 'public', 'test/bench/results'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-self-import': 'error',
      'import-x/no-restricted-paths': ['error', { zones: boundaries }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/index', '**/index.ts'], message: 'No barrel files: import the module itself.' },
          ],
        },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks, '@react-three': r3f },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@react-three/no-clone-in-loop': 'error',
      '@react-three/no-new-in-loop': 'error',
    },
  },
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react', 'react-*', 'three', 'three/*', '@react-three/*', 'dexie', 'dexie-*'],
              message: 'core/ is engine-free plain TypeScript: no React, three.js, Dexie or other layers.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'core/ does no I/O.' }],
    },
  },
);
