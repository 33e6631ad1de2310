// seedrandom ships no types for its per-generator modules; `@types/seedrandom` covers the root.
declare module 'seedrandom/lib/alea.js' {
  const alea: (seed?: string, options?: { state?: unknown }) => unknown;
  export default alea;
}
