/**
 * Jest runs the TypeScript unit tests of labextension/src/__tests__ with JupyterLab's own test
 * setup (jsdom with Node's fetch, ts-jest for TS, babel for the ES-module JS of dependencies).
 */
const jestJupyterLab = require('@jupyterlab/testing/lib/jest-config');

const esModules = [
  '@codemirror',
  '@jupyter/ydoc',
  '@jupyter/react-components',
  '@jupyter/web-components',
  '@jupyterlab/',
  '@lezer',
  '@marijn',
  '@microsoft',
  'color',
  'exenv-es6',
  'lib0',
  'marked',
  'nanoid',
  'vscode-ws-jsonrpc',
  'y-protocols',
  'y-websocket',
  'yjs'
].join('|');

const base = jestJupyterLab(__dirname);

module.exports = {
  ...base,
  automock: false,
  reporters: ['default'],
  roots: ['<rootDir>/labextension/src'],
  // A guard against a hang, not a speed: jest's 5 s default is near what one render test takes on a
  // loaded 2-core machine. Debounces run on jest's fake clock, so no test waits out real time.
  testTimeout: 60_000,
  testRegex: 'labextension/src/__tests__/.*\\.spec\\.tsx?$',
  transformIgnorePatterns: [`/node_modules/(?!${esModules}).+`]
};
