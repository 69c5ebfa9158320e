import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** What `GET /oauth/authorize` asked for, kept until the user decides on the consent page. */
export interface AuthorizationRequest {
  id: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  state: string;
  scope: string;
}

interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  expiresAt: number;
  used: boolean;
}

interface DeviceAuthorization {
  deviceAuthId: string;
  userCode: string;
  status: 'pending' | 'approved' | 'denied' | 'consumed';
  expiresAt: number;
  /** Set on approval: the code and the PKCE pair the server made for it. */
  grant?: { authorizationCode: string; codeChallenge: string; codeVerifier: string };
}

export type CodeRedemption =
  | { status: 'ok' }
  | { status: 'invalid_grant'; description: string }
  | { status: 'invalid_client' };

export type DevicePoll =
  | { status: 'pending' }
  | { status: 'unknown' }
  | { status: 'denied' }
  | { status: 'expired' }
  | { status: 'approved'; authorizationCode: string; codeChallenge: string; codeVerifier: string };

/** `base64url(sha256(verifier))`, the S256 PKCE transform. */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

const CODE_LIFETIME_MS = 10 * 60_000;
const DEVICE_CODE_LIFETIME_MS = 15 * 60_000;
// Unambiguous characters (no 0/O, 1/I) like the codes users type from a screen.
const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function userCode(): string {
  const chars = Array.from(randomBytes(9), b => USER_CODE_ALPHABET[b % USER_CODE_ALPHABET.length]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

/** State of the browser (PKCE) and device-code logins: consent requests, codes, device authorizations. */
export class LoginFlows {
  private readonly pending = new Map<string, AuthorizationRequest>();
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly devices = new Map<string, DeviceAuthorization>();

  constructor(
    private readonly config: { now: () => number; deviceRedirectUri: () => string; clientId: string },
  ) {}

  /** Remembers an authorization request until the consent page is answered. */
  startAuthorization(request: Omit<AuthorizationRequest, 'id'>): AuthorizationRequest {
    const pending = { ...request, id: randomUUID() };
    this.pending.set(pending.id, pending);
    return pending;
  }

  /** Takes a pending request out (each consent page answers once). */
  takeAuthorization(id: string): AuthorizationRequest | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    return pending;
  }

  /** Issues a single-use authorization code bound to the client, redirect URI and PKCE challenge. */
  issueCode(binding: { clientId: string; redirectUri: string; codeChallenge: string }): string {
    const code = `ac_${randomBytes(32).toString('base64url')}`;
    this.codes.set(code, { ...binding, expiresAt: this.config.now() + CODE_LIFETIME_MS, used: false });
    return code;
  }

  /** Checks an `authorization_code` grant the way an OAuth server must (RFC 6749 §4.1.3, RFC 7636 §4.6). */
  redeemCode(grant: {
    code: string;
    clientId: string;
    redirectUri: string;
    codeVerifier: string;
  }): CodeRedemption {
    if (grant.clientId !== this.config.clientId) return { status: 'invalid_client' };
    const record = this.codes.get(grant.code);
    if (!record) return { status: 'invalid_grant', description: 'Unknown authorization code' };
    if (record.used) return { status: 'invalid_grant', description: 'Authorization code was already used' };
    record.used = true;
    if (record.expiresAt <= this.config.now()) {
      return { status: 'invalid_grant', description: 'Authorization code expired' };
    }
    if (record.clientId !== grant.clientId) {
      return { status: 'invalid_grant', description: 'Authorization code was issued to another client' };
    }
    if (record.redirectUri !== grant.redirectUri)
      return { status: 'invalid_grant', description: 'redirect_uri mismatch' };
    if (pkceChallenge(grant.codeVerifier) !== record.codeChallenge) {
      return { status: 'invalid_grant', description: 'code_verifier does not match the code_challenge' };
    }
    return { status: 'ok' };
  }

  /** Starts a device-code login. */
  createDeviceAuthorization(autoApprove: boolean): DeviceAuthorization {
    const device: DeviceAuthorization = {
      deviceAuthId: `deviceauth_${randomBytes(16).toString('hex')}`,
      userCode: userCode(),
      status: 'pending',
      expiresAt: this.config.now() + DEVICE_CODE_LIFETIME_MS,
    };
    this.devices.set(device.deviceAuthId, device);
    if (autoApprove) this.decideDevice(device.userCode, true);
    return device;
  }

  /** Approves or denies the device login with this user code; false if no pending one has it. */
  decideDevice(code: string, approve: boolean): boolean {
    const normalized = code.trim().toUpperCase();
    const device = [...this.devices.values()].find(d => d.userCode === normalized && d.status === 'pending');
    if (!device || device.expiresAt <= this.config.now()) return false;
    if (!approve) {
      device.status = 'denied';
      return true;
    }
    const codeVerifier = randomBytes(64).toString('base64url');
    const codeChallenge = pkceChallenge(codeVerifier);
    device.status = 'approved';
    device.grant = {
      authorizationCode: this.issueCode({
        clientId: this.config.clientId,
        redirectUri: this.config.deviceRedirectUri(),
        codeChallenge,
      }),
      codeChallenge,
      codeVerifier,
    };
    return true;
  }

  /** One poll of `POST /api/accounts/deviceauth/token`. */
  pollDevice(deviceAuthId: string, code: string): DevicePoll {
    const device = this.devices.get(deviceAuthId);
    if (!device || device.userCode !== code.trim().toUpperCase() || device.status === 'consumed') {
      return { status: 'unknown' };
    }
    if (device.status === 'denied') return { status: 'denied' };
    if (device.status === 'pending') {
      return device.expiresAt <= this.config.now() ? { status: 'expired' } : { status: 'pending' };
    }
    device.status = 'consumed';
    return { status: 'approved', ...device.grant! };
  }
}
