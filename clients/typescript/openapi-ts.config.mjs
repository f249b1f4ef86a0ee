// @hey-api/openapi-ts configuration for @callplane/client (scripts/gen-clients).
export default {
  input: '../../openapi/callplane.yaml',
  output: {
    path: 'src',
    // Imports end in .js so the package runs as native ES modules under Node.
    importFileExtension: '.js',
    postProcess: [],
  },
  plugins: [
    '@hey-api/typescript',
    '@hey-api/sdk',
    // The fetch client is emitted into src/client (no runtime dependency); the index exports
    // its shared instance (setConfig: base URL and token), and package.json exports
    // src/client as `@callplane/client/client` for createClient (one client per PBX).
    { name: '@hey-api/client-fetch', includeInEntry: true },
  ],
};
