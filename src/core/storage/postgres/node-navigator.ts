// Imported before `pg`, for startup time (bench P6). pg probes for Cloudflare Workers through
// `navigator.userAgent`, and where Node has no `navigator` (Node 20; 21 and later have one) it
// builds a fetch Response instead, which loads all of undici: ~20 ms on every PostgreSQL command.
// Node 20 gets the `navigator.userAgent` that later versions define themselves.
if (!('navigator' in globalThis)) {
  Object.defineProperty(globalThis, 'navigator', {
    value: Object.freeze({userAgent: `Node.js/${process.versions.node.split('.')[0]}`}),
    configurable: true,
    writable: true,
    enumerable: false,
  })
}

export {}
