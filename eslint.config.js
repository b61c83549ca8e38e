// ESLint flat config: strict type-checked rules plus the dependency rules of docs/architecture.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

const driverModules = ['ioredis', 'mysql2', 'mysql2/*', 'better-sqlite3', 'dockerode', 'fastify', 'node:child_process', 'child_process', 'kysely'];

/** Only imports matching `allowed` (a regex source) pass. */
const only = (allowed, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ regex: `^(?!(${allowed})).*`, message }] }],
});

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'data/**',
      'renderer/dist/**',
      'renderer/public/**',
      'test-results/**',
      'out/**',
      'release/**',
      'bin/**',
      'backend/python/**',
      '.func-test/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js', 'scripts/*.mjs', 'electron.vite.config.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportDeclaration[source.value=/^(fs|path|os|crypto|child_process|http|net|url|util|events|stream|zlib|worker_threads|timers|readline|assert)$/]',
          message: "Use the 'node:' prefix for built-in modules.",
        },
      ],
    },
  },
  { files: ['eslint.config.js', 'scripts/*.mjs'], ...tseslint.configs.disableTypeChecked },
  // Plain JavaScript build scripts: no type annotations to write.
  { files: ['scripts/*.mjs'], rules: { '@typescript-eslint/explicit-module-boundary-types': 'off' } },
  {
    files: ['**/*.test.ts', 'electron/stack/proc-tree.ts', 'bench/**/*.ts', 'backend/src/testing/**/*.ts', 'e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/explicit-module-boundary-types': 'off' },
  },
  // Dependency direction (docs/architecture.md).
  {
    files: ['contract/**/*.ts'],
    rules: restrict(['node:*', '../backend/*', '../renderer/*', '../electron/*', 'electron', 'fastify', 'react'], 'contract/ imports only zod.'),
  },
  {
    files: ['backend/src/domain/**/*.ts'],
    rules: restrict([...driverModules, '**/adapters/**', '**/server/**', '**/worker/**', '**/beat/**'], 'The domain is free of drivers and adapters: depend on a port instead.'),
  },
  {
    files: ['backend/src/adapters/store/**/*.ts'],
    rules: restrict(
      ['**/adapters/broker/**', '**/adapters/python/**', '**/adapters/docker/**', '**/server/**', '**/worker/**', '**/beat/**'],
      'Adapters do not import each other or the wiring layers.',
    ),
  },
  {
    files: ['backend/src/adapters/broker/**/*.ts'],
    rules: restrict(
      ['**/adapters/store/**', '**/adapters/python/**', '**/adapters/docker/**', '**/server/**', '**/worker/**', '**/beat/**'],
      'Adapters do not import each other or the wiring layers.',
    ),
  },
  {
    files: ['backend/src/adapters/python/**/*.ts'],
    rules: restrict(
      ['**/adapters/store/**', '**/adapters/broker/**', '**/adapters/docker/**', '**/server/**', '**/worker/**', '**/beat/**'],
      'Adapters do not import each other or the wiring layers.',
    ),
  },
  {
    files: ['backend/src/adapters/docker/**/*.ts'],
    rules: restrict(
      ['**/adapters/store/**', '**/adapters/broker/**', '**/adapters/python/**', '**/server/**', '**/worker/**', '**/beat/**', '**/wiring/**'],
      'Adapters do not import each other or the wiring layers.',
    ),
  },
  {
    files: ['backend/src/adapters/connectors/**/*.ts'],
    rules: restrict(
      ['**/adapters/store/**', '**/adapters/broker/**', '**/adapters/python/**', '**/adapters/docker/**', '**/server/**', '**/worker/**', '**/beat/**', '**/wiring/**'],
      'Adapters do not import each other or the wiring layers.',
    ),
  },
  // The console: browser globals, React hooks rules; it imports the contract only (never node:*, backend, electron).
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict(
        ['node:*', '**/backend/**', '**/electron/**', 'electron', 'fastify', 'ioredis', 'mysql2', 'better-sqlite3', 'kysely'],
        'renderer/ imports only the contract (and browser libraries).',
      ),
    },
  },
  // Console unit tests may read a backend source to check a console table against it (tests are not shipped).
  { files: ['renderer/**/*.test.{ts,tsx}'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['contract/client/**/*.ts'],
    rules: restrict(
      ['node:*', '../backend/*', '../renderer/*', '../electron/*', 'electron', 'fastify', 'react', 'react-dom'],
      'contract/client is built from the operations table only: no DOM, no Node.',
    ),
  },
  // The desktop app (docs/desktop.md): preload sees the contract, Electron and the shared channel names only;
  // main sees the contract and the backend's wiring (the public entry of the embedded stack), never the
  // renderer or the preload; electron/common is plain data shared by both.
  {
    files: ['electron/preload/**/*.ts'],
    ignores: ['electron/preload/**/*.test.ts'],
    rules: only(String.raw`electron$|\.\./\.\./contract/|\.\./common/|\./`, 'electron/preload imports only contract/, electron/common and electron.'),
  },
  {
    files: ['electron/common/**/*.ts'],
    rules: only(String.raw`\./`, 'electron/common is plain data: it imports nothing but itself.'),
  },
  {
    files: ['electron/main/**/*.ts', 'electron/stack/**/*.ts', 'electron/*.ts', 'electron/scripts/**/*.ts'],
    rules: restrict(
      [
        '**/renderer/**',
        '**/preload/**',
        '**/backend/src/domain/**',
        '**/backend/src/adapters/**',
        '**/backend/src/server/**',
        '**/backend/src/worker/**',
        '**/backend/src/beat/**',
      ],
      'electron/main imports the contract and backend/src/wiring (plus config) only.',
    ),
  },
);
