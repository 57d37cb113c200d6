// One import-boundary rule (STYLE.md): the folder says what a file may touch.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layers from './eslint.layers.js';
import queries from './eslint.queries.js';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'url', 'zlib', 'stream', 'events', 'util', 'worker_threads'];

export default tseslint.config(
  { ignores: ['node_modules', 'dist*', 'release', 'test-output'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only src-main/electron may import electron.' }] }],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'src-shared is pure TypeScript: no Node modules.' },
          { group: ['electron', 'react', 'react-dom', 'react-dom/*', '**/src-main/**', '**/src-renderer/**'], message: 'src-shared imports nothing from Electron, the DOM or the other folders.' },
        ],
      }],
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'The renderer never touches Node.' },
          { group: ['electron', '**/src-main/**', 'better-sqlite3', 'kysely'], message: 'The renderer talks to the main process only through the contract in src-shared.' },
        ],
      }],
    },
  },
  {
    // Inside src-main: the layers of docs/ARCHITECTURE.md (the table and the rule in eslint.layers.js) and its query
    // style (eslint.queries.js).
    files: ['src-main/**/*.ts', 'src-main/**/*.tsx'],
    plugins: { izisales: { meta: { name: 'izisales' }, rules: { ...layers.rules, ...queries.rules } } },
    rules: { 'izisales/layers': 'error', 'izisales/queries': 'error' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', __filename: 'readonly', URL: 'readonly' } },
  },
  {
    // CommonJS scripts (bin/bundle.cjs: it runs bundles as CommonJS modules).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', __filename: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src-main/electron/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
