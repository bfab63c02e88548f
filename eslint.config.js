// Lint is where Lifeboat's layering is enforced, not just hoped for:
// shared ← vault ← ipc/serving ← hosts (app, browser-host) and cli; the
// renderer sees only shared/. Each block below forbids the imports that would
// climb the wrong way, with a message saying why.
import js from '@eslint/js';
import sdl from '@microsoft/eslint-plugin-sdl';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = {
  paths: builtinModules.filter((m) => !m.startsWith('_')).map((name) => ({ name, message: 'No Node built-ins here.' })),
  patterns: [{ group: ['node:*'], message: 'No Node built-ins here.' }],
};
const noElectron = { name: 'electron', message: 'Only electron/app/ may import Electron; the rest runs under plain Node.' };
const noRenderer = { group: ['**/renderer/**'], message: 'The renderer is reached only through IPC.' };
const noHosts = {
  group: ['**/app/*', '**/browser-host/*', '**/cli/*', '**/cli/**', '**/start.js'],
  message: 'Lower layers must not depend on a host (Electron shell, browser host, CLI).',
};
const noChromium = {
  group: ['**/chromium/*'],
  message: 'Only a host picks Chromium as the PDF printer; below the hosts, printing is the PdfPrinter port (printing/).',
};
const noEngineFromAdapters = {
  group: ['**/vault/**', '**/catalog/*', '**/recovery/*', '**/quorum/*'],
  message: 'IPC handlers and CLI verbs are adapters (parse, call, format): they call electron/operations/, never the engine or a feature directly.',
};
const noFeatures = {
  group: ['**/quorum/*', '**/printing/*', '**/chromium/*', '**/operations/*'],
  message: 'The engine knows nothing of what is built on it (quorum paperwork, printing, the application layer).',
};
const noOperations = { group: ['**/operations/*'], message: 'The application layer (operations/) calls features; features never call it.' };

const noAppGlue = { group: ['**/app/*'], message: 'The Electron glue is not reachable from plain Node code.' };
/** The browser host and the CLI are hosts side by side: neither imports the other. */
function otherHost(...group) {
  return { group, message: 'The browser host and the CLI are separate hosts: share code through a lower layer.' };
}

/** Combines forbidden paths and patterns for one layer. */
function restrict({ paths = [], patterns = [] }) {
  return { 'no-restricted-imports': ['error', { paths, patterns }] };
}

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...sdl.configs.common,
  ...sdl.configs.node,
  ...sdl.configs.electron,
  {
    languageOptions: {
      parserOptions: {
        // Node side, web side (DOM, no Node types), config files, e2e tests (both).
        project: ['./tsconfig.json', './tsconfig.web.json', './tsconfig.config.json', './tsconfig.e2e.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      curly: 'error',
      eqeqeq: 'error',
      'no-console': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-implied-eval': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['eslint.config.js', '*.config.ts', 'bench/**', 'scripts/**', 'test/**'],
    languageOptions: { globals: globals.node },
  },

  // --- Layers -------------------------------------------------------------
  {
    files: ['shared/**'],
    rules: restrict({
      paths: [noElectron, { name: 'react', message: 'shared/ is framework-free.' }, ...nodeBuiltins.paths],
      patterns: [
        ...nodeBuiltins.patterns,
        { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ imports nothing of ours: it is the contract both sides depend on.' },
      ],
    }),
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict({
        paths: [noElectron, ...nodeBuiltins.paths],
        patterns: [
          ...nodeBuiltins.patterns,
          { group: ['**/electron/**'], message: 'The renderer talks to main only through window.lifeboat (shared/api.ts).' },
        ],
      }),
    },
  },
  {
    files: ['electron/vault/**'],
    rules: restrict({
      paths: [noElectron],
      patterns: [
        noRenderer,
        noHosts,
        { group: ['**/ipc/*', '**/serving/*'], message: 'The engine knows nothing of IPC or serving.' },
        { group: ['**/catalog/*'], message: 'The vault does not depend on catalog sync; sync depends on the vault.' },
        { group: ['**/recovery/*'], message: 'The vault does not depend on recovery planning; planning reads the vault.' },
        noFeatures,
      ],
    }),
  },
  {
    files: ['electron/catalog/**'],
    rules: restrict({
      paths: [noElectron],
      patterns: [
        noRenderer,
        noHosts,
        { group: ['**/ipc/*', '**/serving/*'], message: 'Catalog sync knows nothing of IPC or serving.' },
        { group: ['**/recovery/*'], message: 'Catalog sync does not depend on recovery planning.' },
        noFeatures,
      ],
    }),
  },
  {
    files: ['electron/recovery/**'],
    rules: restrict({
      paths: [noElectron],
      patterns: [
        noRenderer,
        noHosts,
        noChromium,
        noOperations,
        { group: ['**/ipc/*', '**/serving/*'], message: 'Recovery planning knows nothing of IPC or serving.' },
        { group: ['**/quorum/*'], message: '"Recovery" is disaster-recovery planning; quorum unlock and its paperwork live in quorum/.' },
      ],
    }),
  },
  {
    files: ['electron/quorum/**'],
    rules: restrict({
      paths: [noElectron],
      patterns: [
        noRenderer,
        noHosts,
        noChromium,
        noOperations,
        { group: ['**/ipc/*', '**/serving/*'], message: 'Quorum code knows nothing of IPC or serving.' },
        { group: ['**/recovery/*'], message: 'Quorum unlock does not depend on disaster-recovery planning.' },
      ],
    }),
  },
  {
    files: ['electron/operations/**'],
    rules: restrict({
      paths: [noElectron],
      patterns: [
        noRenderer,
        noHosts,
        noChromium,
        { group: ['**/ipc/*', '**/serving/*'], message: 'Operations are called by IPC and the CLI alike; they know neither.' },
      ],
    }),
  },
  {
    files: ['electron/printing/**'],
    rules: restrict({
      paths: [noElectron],
      patterns: [{ regex: '^\\.(?!\\./\\.\\./shared/)', message: 'printing/ is a port: it imports only shared/.' }],
    }),
  },
  {
    files: ['electron/chromium/**'],
    rules: restrict({
      paths: [noElectron],
      patterns: [
        noRenderer,
        noHosts,
        {
          group: ['**/ipc/*', '**/serving/*', '**/vault/**', '**/catalog/*', '**/recovery/*', '**/quorum/*'],
          message: 'chromium/ starts Chromium; it knows nothing of the vault or the app.',
        },
      ],
    }),
  },
  {
    files: ['electron/ipc/**', 'electron/serving/**'],
    rules: restrict({ paths: [noElectron], patterns: [noRenderer, noHosts, noChromium, noEngineFromAdapters] }),
  },
  {
    files: ['electron/*.ts'],
    rules: restrict({ paths: [noElectron], patterns: [noRenderer, noAppGlue] }),
  },
  {
    files: ['electron/browser-host/**'],
    rules: restrict({ paths: [noElectron], patterns: [noRenderer, noAppGlue, otherHost('**/cli/*', '**/cli/**')] }),
  },
  {
    files: ['electron/cli/**'],
    rules: restrict({ paths: [noElectron], patterns: [noRenderer, noAppGlue, otherHost('**/browser-host/*'), noEngineFromAdapters] }),
  },
  {
    files: ['electron/app/**'],
    rules: restrict({ patterns: [noRenderer, { group: ['**/browser-host/*', '**/cli/*'], message: 'The Electron shell does not use other hosts.' }] }),
  },
  {
    // The preload runs sandboxed: it may use only `electron` and the contract.
    files: ['electron/app/preload.ts'],
    rules: restrict({
      paths: nodeBuiltins.paths,
      patterns: [
        ...nodeBuiltins.patterns,
        { regex: '^\\.(?!\\./\\.\\./shared/)', message: 'The preload imports only electron and shared/ (it never imports main).' },
      ],
    }),
  },
  {
    // Tests may reach into any layer they prove; they still may not import Electron.
    files: ['**/*.test.ts', 'test/**'],
    rules: restrict({ paths: [noElectron] }),
  },
);
