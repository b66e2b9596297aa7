// ESLint (flat config): typescript-eslint's recommended rules, plus the layering of
// docs/architecture.md as import restrictions, so a wrong-way import fails `npm run lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** One layer's forbidden imports: each entry is a folder of src/ it must not reach. */
function layer(files, forbidden, why) {
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden.map((dir) => ({
            regex: `(^|/)(\\.\\./)*${dir.replace('/', '\\/')}(/|\\.ts$)`,
            message: `${why} (docs/architecture.md).`,
          })),
        },
      ],
    },
  };
}

const SURFACES = ['wire', 'app', 'cli', 'metadata', 'console', 'dataplane', 'server'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'console/dist/**', 'docs/**', 'test/guest/golden/**', 'test/guest/golden-dual-stack/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        AbortController: 'readonly',
        fetch: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        performance: 'readonly',
        queueMicrotask: 'readonly',
        structuredClone: 'readonly',
        URLSearchParams: 'readonly',
      },
    },
    rules: {
      // Unused arguments keep their place in a signature when prefixed with _.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Catalog specs are typed per entry; ErrorSpec<any[]> lets a list hold entries of every arity.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  // The layers, top to bottom: surfaces (wire, app, cli, metadata) → api (invoke, declarations,
  // views) → services (use cases) → domain (rules, no I/O); store below services; errors, lib and
  // catalog are leaves everyone may use. Each rule forbids the imports against that direction.
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  layer(['src/api/**'], SURFACES, 'api/ is called by the surfaces, it never calls them'),
  layer(['src/api/ecs/**', 'src/api/vpc/**', 'src/api/resourcemanager/**'], ['store'], 'action declarations reach the store only through services'),
  layer(['src/services/**'], [...SURFACES, 'api'], 'services run under any surface: they import nothing from api/ or the surfaces'),
  layer(['src/domain/**'], [...SURFACES, 'api', 'services', 'store'], 'domain/ is pure rules: no I/O, no store, no use cases'),
  layer(['src/store/**'], [...SURFACES, 'api', 'services'], 'the store only stores'),
  layer(['src/store/migrations/**'], ['domain', 'services'], 'a migration is frozen: it must not change when live domain code does'),
  layer(['src/errors/**', 'src/lib/**'], [...SURFACES, 'api', 'services', 'domain', 'store'], 'errors/ and lib/ are leaves'),
  layer(['src/guest/**'], [...SURFACES, 'api', 'services', 'store'], 'guest/ runs inside the instance and talks to the metadata service only over HTTP'),
);
