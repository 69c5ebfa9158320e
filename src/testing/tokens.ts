import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, jwtVerify, SignJWT } from 'jose';

/** The OAuth client id of the official Codex CLI; the emulator accepts it by default. */
export const CODEX_CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann';

/** ChatGPT plan types the real id token carries (unknown values pass through, as in the real CLI). */
export type ChatGPTPlanType =
  | 'free'
  | 'go'
  | 'plus'
  | 'pro'
  | 'prolite'
  | 'team'
  | 'business'
  | 'enterprise'
  | 'edu'
  | (string & {});

/** Who a login belongs to. Every field has a random or sensible default. */
export interface EmulatorAccount {
  /** `chatgpt_account_id` claim and `ChatGPT-Account-ID` header value. Default: a random UUID. */
  accountId?: string;
  /** `chatgpt_user_id` claim. Default: `user-<random>`. */
  userId?: string;
  /** `email` claim. Default: `codex-user@example.com`. */
  email?: string;
  /** `chatgpt_plan_type` claim. Default: `plus`. */
  planType?: ChatGPTPlanType;
}

/** Options of {@link TokenAuthority.login} and of the emulator's `login()`. */
export interface LoginOptions extends EmulatorAccount {
  /**
   * Lifetime of this login's access token in seconds; `0` or negative issues an already expired one.
   * Tokens from later refreshes get the emulator's lifetime.
   */
  accessTokenTtlSeconds?: number;
  /** Lifetime of this login's id token in seconds. */
  idTokenTtlSeconds?: number;
  /** Lifetime of this login's refresh token in seconds; `undefined` means it never expires by time. */
  refreshTokenTtlSeconds?: number;
}

/** A set of tokens as a fresh login (or a refresh) returns them. */
export interface EmulatorLogin {
  idToken: string;
  accessToken: string;
  refreshToken: string;
  accountId: string;
  userId: string;
  email: string;
  planType: ChatGPTPlanType;
  /** When the access token expires (its JWT `exp`). */
  accessTokenExpiresAt: Date;
  /** Id of the token family (one per login; refreshes stay in it). */
  familyId: string;
}

/** Why a token family was revoked. */
export type RevocationReason = 'reused' | 'invalidated' | 'logout';

/** The state of an access token presented to the backend. */
export type AccessTokenCheck =
  | { status: 'valid'; account: Required<EmulatorAccount>; familyId: string }
  | { status: 'unknown' }
  | { status: 'expired' }
  | { status: 'invalidated' };

/** The outcome of a `refresh_token` grant. */
export type RefreshOutcome =
  | { status: 'ok'; login: EmulatorLogin }
  | { status: 'unknown' }
  | { status: 'reused' }
  | { status: 'expired' }
  | { status: 'invalidated' };

export interface TokenLifetimes {
  accessTokenTtlSeconds: number;
  idTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number | undefined;
}

interface TokenFamily {
  id: string;
  account: Required<EmulatorAccount>;
  revoked?: RevocationReason;
}

interface RefreshTokenRecord {
  familyId: string;
  state: 'active' | 'used' | 'expired' | 'invalidated';
  /** When it was redeemed (epoch ms), once used. */
  usedAt?: number;
  /** Epoch ms; undefined = no time limit. */
  expiresAt?: number;
}

interface AccessTokenRecord {
  familyId: string;
  /** Epoch ms. */
  expiresAt: number;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

// RSA key generation is slow; one key per process keeps emulators quick to start.
let signingKey: Promise<SigningKey> | undefined;
function getSigningKey(): Promise<SigningKey> {
  signingKey ??= (async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = createHash('sha256').update(JSON.stringify(publicJwk)).digest('base64url').slice(0, 16);
    return { kid, privateKey, publicKey, publicJwk: { ...publicJwk, kid, alg: 'RS256', use: 'sig' } };
  })();
  return signingKey;
}

const AUTH_CLAIM = 'https://api.openai.com/auth';
const PROFILE_CLAIM = 'https://api.openai.com/profile';

function randomToken(prefix: string, bytes = 32): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

/**
 * Issues and checks the emulator's tokens: JWT access and id tokens signed with RS256 (claim layout of
 * auth.openai.com) and opaque, rotating, single-use refresh tokens grouped in one family per login.
 */
export class TokenAuthority {
  private readonly families = new Map<string, TokenFamily>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private readonly accessTokens = new Map<string, AccessTokenRecord>();

  constructor(
    private readonly config: {
      issuer: () => string;
      clientId: string;
      now: () => number;
      defaults: EmulatorAccount;
      lifetimes: TokenLifetimes;
      /** A spent refresh token presented again within this many ms of its redemption does not revoke its family. */
      reuseGraceMs: number;
    },
  ) {}

  /** The public key set (`/.well-known/jwks.json`). */
  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: [(await getSigningKey()).publicJwk] };
  }

  /** Starts a new token family, as a completed login does. */
  async login(options: LoginOptions = {}): Promise<EmulatorLogin> {
    const defaults = this.config.defaults;
    const account: Required<EmulatorAccount> = {
      accountId: options.accountId ?? defaults.accountId ?? randomUUID(),
      userId: options.userId ?? defaults.userId ?? `user-${randomBytes(12).toString('base64url')}`,
      email: options.email ?? defaults.email ?? 'codex-user@example.com',
      planType: options.planType ?? defaults.planType ?? 'plus',
    };
    const family: TokenFamily = { id: randomUUID(), account };
    this.families.set(family.id, family);
    // Per-login lifetimes shape only the tokens of this login; refreshes use the emulator's lifetimes.
    return this.issue(family, {
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? this.config.lifetimes.accessTokenTtlSeconds,
      idTokenTtlSeconds: options.idTokenTtlSeconds ?? this.config.lifetimes.idTokenTtlSeconds,
      refreshTokenTtlSeconds:
        'refreshTokenTtlSeconds' in options
          ? options.refreshTokenTtlSeconds
          : this.config.lifetimes.refreshTokenTtlSeconds,
    });
  }

  /**
   * Redeems a refresh token: rotates it, or says why it cannot be used (revoking the family on reuse, unless the
   * reuse comes within the grace period of its redemption).
   */
  async refresh(refreshToken: string): Promise<RefreshOutcome> {
    const record = this.refreshTokens.get(refreshToken);
    if (!record) return { status: 'unknown' };
    const family = this.families.get(record.familyId)!;
    if (record.state === 'used') {
      if (this.config.now() - record.usedAt! >= this.config.reuseGraceMs) this.revokeFamily(family, 'reused');
      return { status: 'reused' };
    }
    if (record.state === 'invalidated' || family.revoked) return { status: 'invalidated' };
    if (
      record.state === 'expired' ||
      (record.expiresAt !== undefined && record.expiresAt <= this.config.now())
    ) {
      record.state = 'expired';
      return { status: 'expired' };
    }
    record.state = 'used';
    record.usedAt = this.config.now();
    return { status: 'ok', login: await this.issue(family, this.config.lifetimes) };
  }

  /**
   * The API-key token exchange the CLI attempts after a browser login: returns a key for a valid id
   * token this emulator signed, or `undefined`.
   */
  async exchangeIdTokenForApiKey(idToken: string): Promise<string | undefined> {
    try {
      await jwtVerify(idToken, (await getSigningKey()).publicKey, {
        issuer: this.config.issuer(),
        audience: this.config.clientId,
        currentDate: new Date(this.config.now()),
      });
      return `sk-proj-emulator-${randomBytes(24).toString('base64url')}`;
    } catch {
      return undefined;
    }
  }

  /** Checks a bearer token presented to the backend. */
  checkAccessToken(accessToken: string): AccessTokenCheck {
    const record = this.accessTokens.get(accessToken);
    if (!record) return { status: 'unknown' };
    const family = this.families.get(record.familyId)!;
    if (family.revoked) return { status: 'invalidated' };
    if (record.expiresAt <= this.config.now()) return { status: 'expired' };
    return { status: 'valid', account: family.account, familyId: family.id };
  }

  /** The account an access or refresh token belongs to (regardless of its state). */
  accountOf(token: string): Required<EmulatorAccount> | undefined {
    const familyId = this.accessTokens.get(token)?.familyId ?? this.refreshTokens.get(token)?.familyId;
    return familyId ? this.families.get(familyId)?.account : undefined;
  }

  /** Makes an access token expired from now on. */
  expireAccessToken(accessToken: string): boolean {
    const record = this.accessTokens.get(accessToken);
    if (!record) return false;
    record.expiresAt = Math.min(record.expiresAt, this.config.now() - 1000);
    return true;
  }

  /** Makes one refresh token answer `refresh_token_expired`. */
  expireRefreshToken(refreshToken: string): boolean {
    const record = this.refreshTokens.get(refreshToken);
    if (!record) return false;
    record.state = 'expired';
    return true;
  }

  /** Makes one refresh token answer `refresh_token_invalidated` (server-side revocation). */
  invalidateRefreshToken(refreshToken: string): boolean {
    const record = this.refreshTokens.get(refreshToken);
    if (!record) return false;
    record.state = 'invalidated';
    return true;
  }

  /**
   * Revokes the whole family a token (access or refresh) belongs to: its refresh tokens answer
   * `refresh_token_invalidated` and its access tokens get 401 `token_invalidated`.
   */
  revokeFamilyOf(token: string, reason: RevocationReason = 'invalidated'): boolean {
    const familyId = this.accessTokens.get(token)?.familyId ?? this.refreshTokens.get(token)?.familyId;
    const family = familyId ? this.families.get(familyId) : undefined;
    if (!family) return false;
    this.revokeFamily(family, reason);
    return true;
  }

  /** Whether the family of a token was revoked, and why. */
  revocationOf(token: string): RevocationReason | undefined {
    const familyId = this.accessTokens.get(token)?.familyId ?? this.refreshTokens.get(token)?.familyId;
    return familyId ? this.families.get(familyId)?.revoked : undefined;
  }

  private revokeFamily(family: TokenFamily, reason: RevocationReason): void {
    family.revoked ??= reason;
    for (const record of this.refreshTokens.values()) {
      if (record.familyId === family.id && record.state === 'active') record.state = 'invalidated';
    }
  }

  private async issue(family: TokenFamily, lifetimes: TokenLifetimes): Promise<EmulatorLogin> {
    const key = await getSigningKey();
    const nowSeconds = Math.floor(this.config.now() / 1000);
    const { account } = family;
    const issuer = this.config.issuer();
    const sessionId = `authsess_${randomBytes(18).toString('base64url')}`;
    const sign = (payload: Record<string, unknown>, ttlSeconds: number) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setSubject(`auth0|${account.userId}`)
        .setIssuedAt(nowSeconds)
        .setExpirationTime(nowSeconds + ttlSeconds)
        .setJti(randomUUID())
        .sign(key.privateKey);

    const accessTokenExp = nowSeconds + lifetimes.accessTokenTtlSeconds;
    const accessToken = await sign(
      {
        aud: ['https://api.openai.com/v1'],
        client_id: this.config.clientId,
        nbf: nowSeconds,
        pwd_auth_time: nowSeconds * 1000,
        scp: ['openid', 'profile', 'email', 'offline_access'],
        session_id: sessionId,
        [AUTH_CLAIM]: {
          chatgpt_account_id: account.accountId,
          chatgpt_account_user_id: `${account.userId}__${account.accountId}`,
          chatgpt_compute_residency: 'no_constraint',
          chatgpt_plan_type: account.planType,
          chatgpt_user_id: account.userId,
          user_id: account.userId,
        },
        [PROFILE_CLAIM]: { email: account.email, email_verified: true },
      },
      lifetimes.accessTokenTtlSeconds,
    );
    const idToken = await sign(
      {
        aud: [this.config.clientId],
        auth_provider: 'password',
        auth_time: nowSeconds,
        email: account.email,
        email_verified: true,
        rat: nowSeconds,
        sid: sessionId,
        [AUTH_CLAIM]: {
          chatgpt_account_id: account.accountId,
          chatgpt_plan_type: account.planType,
          chatgpt_subscription_active_start: new Date((nowSeconds - 86_400) * 1000).toISOString(),
          chatgpt_subscription_active_until: new Date((nowSeconds + 30 * 86_400) * 1000).toISOString(),
          chatgpt_subscription_last_checked: new Date(nowSeconds * 1000).toISOString(),
          chatgpt_user_id: account.userId,
          groups: [],
          organizations: [
            {
              id: `org-${account.accountId.replaceAll('-', '').slice(0, 24)}`,
              is_default: true,
              role: 'owner',
              title: 'Personal',
            },
          ],
          user_id: account.userId,
        },
      },
      lifetimes.idTokenTtlSeconds,
    );
    const refreshToken = randomToken('rt_');
    this.refreshTokens.set(refreshToken, {
      familyId: family.id,
      state: 'active',
      expiresAt:
        lifetimes.refreshTokenTtlSeconds === undefined
          ? undefined
          : this.config.now() + lifetimes.refreshTokenTtlSeconds * 1000,
    });
    this.accessTokens.set(accessToken, { familyId: family.id, expiresAt: accessTokenExp * 1000 });
    return {
      idToken,
      accessToken,
      refreshToken,
      ...account,
      accessTokenExpiresAt: new Date(accessTokenExp * 1000),
      familyId: family.id,
    };
  }
}
