import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

// This example uses the package from the repository (`file:../..`), which lives outside the app's folder.
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

const nextConfig: NextConfig = {
  // Native addons the package loads only when needed (the OS keychain, and flock for a shared auth.json):
  // Node.js loads them from node_modules at run time instead of the bundler.
  serverExternalPackages: ['@napi-rs/keyring', 'koffi'],
  // A serverless deployment has no keychain: leave the binding out of its functions.
  outputFileTracingExcludes: { '*': ['**/node_modules/@napi-rs/keyring*/**'] },
  outputFileTracingRoot: repositoryRoot,
  turbopack: { root: repositoryRoot },
};

export default nextConfig;
