import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { SecurityConfigError, TokenSet } from './tokens.ts';

/** What a caller may do: `admin` includes `read`. */
export type Role = 'none' | 'read' | 'admin';

export interface AccessOptions {
  /** Bearer tokens for the read-only endpoints (budget states, /metrics). */
  readTokenFile?: string;
  /** Bearer tokens for everything (reload, the full status). */
  adminTokenFile?: string;
  /** mTLS is on (a client CA is set): verified client certificates get a role. */
  mtls?: boolean;
  /** Subject CNs of verified client certificates that get `read` / `admin`. */
  clientReadSubjects?: readonly string[];
  clientAdminSubjects?: readonly string[];
}

export const FLAG = {
  readTokenFile: '--read-token-file (or BURNRATE_READ_TOKEN_FILE)',
  adminTokenFile: '--admin-token-file (or BURNRATE_ADMIN_TOKEN_FILE)',
};

export interface Decision {
  role: Role;
  /** Why the role is `none` (for the log and the 401 body): never holds a credential. */
  problem?: 'no credentials' | 'unknown token' | 'malformed authorization' | 'unknown client';
}

/**
 * Who is calling: a bearer token from the token files (compared in constant time), else a
 * verified client certificate. Without any of them configured every caller may read and none
 * may administer (the loopback default, as before).
 */
export class AccessControl {
  private read: TokenSet | undefined;
  private admin: TokenSet | undefined;

  private readonly opts: AccessOptions;

  constructor(opts: AccessOptions) {
    this.opts = opts;
    this.reload();
  }

  /** Anything configured at all: else reads are open and admin endpoints closed. */
  get enabled(): boolean {
    return Boolean(this.opts.readTokenFile || this.opts.adminTokenFile || this.opts.mtls);
  }

  /** Re-reads the token files (SIGHUP): a bad file throws and keeps the tokens in use. */
  reload(): void {
    const read = this.opts.readTokenFile
      ? TokenSet.fromFile(this.opts.readTokenFile, FLAG.readTokenFile)
      : undefined;
    const admin = this.opts.adminTokenFile
      ? TokenSet.fromFile(this.opts.adminTokenFile, FLAG.adminTokenFile)
      : undefined;
    this.read = read;
    this.admin = admin;
  }

  decide(req: IncomingMessage): Decision {
    if (!this.enabled) return { role: 'read' };
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer +([^\s]+) *$/i.exec(header);
      if (!m) return { role: 'none', problem: 'malformed authorization' };
      // Both sets are always checked, so timing does not tell which one matched.
      const isAdmin = this.admin?.has(m[1]) ?? false;
      const isRead = this.read?.has(m[1]) ?? false;
      if (isAdmin) return { role: 'admin' };
      if (isRead) return { role: 'read' };
      return { role: 'none', problem: 'unknown token' };
    }
    if (this.opts.mtls) {
      const socket = req.socket as TLSSocket;
      if (socket.authorized === true) {
        const cn = socket.getPeerCertificate().subject?.CN;
        const name = Array.isArray(cn) ? cn[0] : cn;
        const admins = this.opts.clientAdminSubjects ?? [];
        const readers = this.opts.clientReadSubjects ?? [];
        if (admins.length === 0 && readers.length === 0) return { role: 'admin' };
        if (name && admins.includes(name)) return { role: 'admin' };
        if (name && readers.includes(name)) return { role: 'read' };
        return { role: 'none', problem: 'unknown client' };
      }
    }
    return { role: 'none', problem: 'no credentials' };
  }
}

export { SecurityConfigError };
