/**
 * The sidebar's timings (benchmarks/sidebar.py runs this): the same real JupyterLab, project and
 * Chromium as the browser tests, but `*.bench.ts` files that print figures and assert none.
 */
import { defineConfig } from '@playwright/test';

import tests from './playwright.config';

export default defineConfig({
  ...tests,
  testDir: './benchmarks',
  testMatch: '*.bench.ts',
  outputDir: '../../benchmarks/.results/ui',
  timeout: 600_000
});
