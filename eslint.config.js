// ESLint 9 (flat config) with typescript-eslint's recommended rules, run by `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', '.wrangler/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'off' } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Kysely<any> is deliberate: each module types its own tables over one shared database handle.
      '@typescript-eslint/no-explicit-any': 'off',
      // `_name` marks a binding kept on purpose (a destructured field left out, an unused parameter).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // The scripts the pages load run in the browser.
    files: ['src/web/assets/**/*.js'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', SwaggerUIBundle: 'readonly' } },
  },
);
