import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The API the dev and preview servers forward `/api` to.
const apiTarget = process.env.VANGUARD_API_URL ?? 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': apiTarget } },
  preview: { proxy: { '/api': apiTarget } },
  build: {
    outDir: 'dist',
    rolldownOptions: {
      output: {
        // React and the router change less often than the app: their own chunk stays cached across
        // releases. antd is left to the bundler so that components only some pages use (tables, date
        // pickers, tree selects…) load with those pages rather than on the first visit.
        codeSplitting: {
          groups: [{ name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/, priority: 1 }],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    // Whole antd pages render slowly on a busy CI machine; these are waits, not assertions about speed.
    testTimeout: 60_000,
  },
});
