// The one linter config. Type-aware rules catch what the compiler lets through: floating
// promises (the source of unhandled rejections) and misused ones.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'build/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'e2e/pages/**',
      'demo/public/**',
      'e2e/apps/dist/**',
      'e2e/apps/dist-dev/**',
      // Its own toolchain (svelte-kit sync writes the tsconfig its code needs); built and run by e2e.
      'e2e/sveltekit/**',
    ],
  },
  {
    files: [
      'protocol/**/*.ts',
      'sdk/**/*.ts',
      'server-shim/**/*.ts',
      'testing/**/*.ts',
      'devtools/**/*.ts',
      'test-support/**/*.ts',
      'e2e/**/*.ts',
    ],
    extends: [tseslint.configs.recommended],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
