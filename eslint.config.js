/** ESLint (flat config) for the TypeScript of labextension/: typed, no `any`, Prettier decides layout. */
const js = require('@eslint/js');
const prettier = require('eslint-config-prettier');
const react = require('eslint-plugin-react');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  {
    ignores: [
      'lib/**',
      'node_modules/**',
      'jupyter_dsl/**',
      'labextension/ui-tests/test-results/**',
      'labextension/ui-tests/playwright-report/**'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['labextension/**/*.{ts,tsx}'],
    plugins: { react },
    settings: { react: { version: '18' } },
    rules: {
      ...react.configs.recommended.rules,
      'react/prop-types': 'off',
      'react/react-in-jsx-scope': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-namespace': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { args: 'none', varsIgnorePattern: '^_' }
      ],
      curly: ['error', 'all'],
      eqeqeq: 'error',
      'no-console': 'error',
      'prefer-arrow-callback': 'error'
    }
  },
  {
    files: ['labextension/ui-tests/**/*.ts'],
    rules: { 'no-console': 'off' }
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' }
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  prettier
);
