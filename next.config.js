// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // .next/standalone: the server with only the node_modules files it uses, so it runs without
  // the source tree; scripts/standalone.mjs completes it (`npm run build`).
  output: 'standalone',
};

export default nextConfig;
