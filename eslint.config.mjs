// Lint rules and the import-boundary zones of docs/architecture (nothing imports upward).
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

const zone = (target, from, message) => ({ target, from, message });

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
      '**/generated*.ts',
      'sdk/src/cdk8s/imports/**',
      'examples/**/node_modules/**',
      'sdks/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.lint.json', tsconfigRootDir: import.meta.dirname } },
    plugins: { import: importPlugin },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.js'] } } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-shadow': 'off',
      '@typescript-eslint/no-shadow': 'error',
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            zone(
              './core/src',
              ['./vvp-client', './provider', './sdk', './operator', './emulator', './tests'],
              'core imports no project package',
            ),
            zone(
              './vvp-client/src',
              ['./provider', './sdk', './operator', './emulator', './tests'],
              'vvp-client may import core only',
            ),
            zone(
              './provider/src',
              ['./sdk', './operator', './emulator', './tests'],
              'provider may import core and vvp-client only',
            ),
            zone(
              './sdk/src/pulumi',
              ['./operator', './emulator', './vvp-client', './tests', './sdk/src/cdk8s'],
              'sdk/pulumi may import core and provider only',
            ),
            zone(
              './sdk/src/cdk8s',
              ['./operator', './emulator', './vvp-client', './provider', './tests', './sdk/src/pulumi'],
              'sdk/cdk8s may import core only',
            ),
            zone(
              './operator/src',
              ['./provider', './sdk', './emulator', './tests'],
              'operator may import core and vvp-client only',
            ),
            zone(
              './emulator/src',
              ['./vvp-client', './provider', './sdk', './operator', './tests'],
              'emulator may import core model types only',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'http', 'https', 'net', 'child_process'], message: 'core is pure: no I/O' },
            { group: ['@pulumi/*', 'cdk8s', '@kubernetes/*', 'axios'], message: 'core is pure: no platform libraries' },
          ],
        },
      ],
    },
  },
  {
    files: ['emulator/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: 'core/src/(?!model/)', message: 'the emulator may import core model types only' }] },
      ],
    },
  },
  {
    files: [
      'core/src/**/*.ts',
      'vvp-client/src/**/*.ts',
      'provider/src/**/*.ts',
      'sdk/src/**/*.ts',
      'operator/src/**/*.ts',
    ],
    ignores: ['**/main.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['**/test/**/*.ts', 'tests/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-floating-promises': 'off',
    },
  },
);
