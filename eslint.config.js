// Lint rules for the whole repository: TypeScript, React hooks, React Three Fiber, and module boundaries
// (no cycles, no imports across features, core stays engine-free) as DESIGN.md lays them out.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import r3f from '@react-three/eslint-plugin';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';

const features = ['catalog', 'product', 'showroom', 'cart', 'checkout', 'offline'];

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'data', 'public', 'test/bench/results'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { typescript: false, node: true } },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-self-import': 'error',
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/index', '**/index.ts'], message: 'No barrel files: import the module itself.' }] },
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
              group: ['react', 'react-*', 'three', 'three/*', '@react-three/*', 'dexie', 'dexie-*', '../*/**'],
              message: 'core/ is engine-free plain TypeScript: no React, three.js, Dexie or other layers.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'core/ does no I/O.' }],
    },
  },
  ...features.map((feature) => ({
    files: [`src/features/${feature}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: features.filter((f) => f !== feature).map((f) => `**/features/${f}/**`),
              message: 'Features do not import each other; compose them in src/app.',
            },
            { group: ['**/server/**', '**/cli/**'], message: 'Browser code does not import the server.' },
          ],
        },
      ],
    },
  })),
  {
    files: ['src/server/**', 'src/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/features/**', '**/app/**', '**/scene/**', '**/xr/**', '**/db/**', '**/sync/**', 'react', 'react-dom'],
              message: 'Server and CLI depend only on protocol/ and core/.',
            },
          ],
        },
      ],
    },
  },
);
