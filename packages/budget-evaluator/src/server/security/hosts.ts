import { isIP } from 'node:net';

/**
 * The Host header check that blocks DNS rebinding: a page on evil.example whose name now
 * resolves to 127.0.0.1 still sends `Host: evil.example`. Allowed: any IP address (a rebinding
 * page always uses a name), localhost, the bind address and the names configured
 * (`--allowed-hosts`; `.example.com` allows its subdomains, `*` disables the check).
 */
export class HostCheck {
  private readonly names: Set<string>;
  private readonly suffixes: string[];
  private readonly any: boolean;

  constructor(bindHost: string, configured: readonly string[] = []) {
    const all = ['localhost', bindHost, ...configured].map((h) =>
      h.toLowerCase().replace(/\.$/, ''),
    );
    this.any = all.includes('*');
    this.suffixes = all.filter((h) => h.startsWith('.'));
    this.names = new Set(all.filter((h) => !h.startsWith('.')));
  }

  /** Is this Host (or Origin host) header value allowed? A missing one is (not a browser). */
  allows(host: string | undefined): boolean {
    if (host === undefined || this.any) return true;
    const name = hostName(host);
    if (name === undefined) return false;
    if (isIP(name) || this.names.has(name)) return true;
    return this.suffixes.some((s) => name.endsWith(s));
  }

  /** The Origin header (sent by browsers on cross-site requests): its host must be allowed. */
  allowsOrigin(origin: string | undefined): boolean {
    if (origin === undefined || this.any) return true;
    try {
      return this.allows(new URL(origin).host);
    } catch {
      return false; // includes "null" (sandboxed pages, file://)
    }
  }
}

/** `name[:port]` or `[v6]:port`, lower case, no trailing dot; undefined when malformed. */
function hostName(host: string): string | undefined {
  const h = host.trim().toLowerCase();
  const v6 = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(h);
  if (v6) return v6[1];
  const m = /^([a-z0-9.-]+)(?::\d{1,5})?$/.exec(h);
  return m ? m[1].replace(/\.$/, '') : undefined;
}
