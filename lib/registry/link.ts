// Link headers (RFC 8288) for tag-list pagination: finds the rel="next" target among several
// links, with quoted or bare parameters. Resolution and the same-host check are the caller's
// (client.ts), because they need the request URL. Source: docs/registry-protocol.md §3.1.

export function parseNextLink(header: string | null | undefined): string | null {
  if (!header) return null;
  let i = 0;
  const n = header.length;
  while (i < n) {
    const open = header.indexOf('<', i);
    if (open === -1) return null;
    const close = header.indexOf('>', open + 1);
    if (close === -1) return null;
    const target = header.slice(open + 1, close);
    // Parameters run to the next "," that is outside quotes.
    let j = close + 1;
    let inQuotes = false;
    while (j < n && (inQuotes || header[j] !== ',')) {
      if (header[j] === '"') inQuotes = !inQuotes;
      j++;
    }
    const params = header.slice(close + 1, j);
    for (const match of params.matchAll(/;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/gi)) {
      const rels = (match[1] ?? match[2] ?? '').toLowerCase().split(/\s+/);
      if (rels.includes('next')) return target;
    }
    i = j + 1;
  }
  return null;
}
