import { defineConfig } from '@hey-api/openapi-ts';

// The API contract lives in the repository root; `src/api/` is regenerated from it on every
// build, typecheck, lint and test run, and is never edited by hand.
export default defineConfig({
  input: '/tmp/mockapi/openapi.json',
  output: { path: 'src/api', postProcess: [] },
  plugins: [
    { name: '@hey-api/client-fetch', throwOnError: true },
    '@hey-api/typescript',
    '@hey-api/sdk',
  ],
});
