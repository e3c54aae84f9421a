// Stands in for the 'server-only' guard in Vitest, where no React server build exists.
export {};
