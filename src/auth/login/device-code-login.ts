import { APICallError } from '@ai-sdk/provider';
import {
  createJsonResponseHandler,
  createStatusCodeErrorResponseHandler,
  delay,
  type FetchFunction,
  postJsonToApi,
} from '@ai-sdk/provider-utils';
import { z } from 'zod/v4';
import { CodexLoginError } from './codex-login-error';
import { exchangeAuthorizationCode, type LoginTokens } from './exchange-authorization-code';
import { oauthFailedResponseHandler, toLoginError } from './oauth-http-error';

/** Device codes expire after 15 minutes; the Codex CLI polls that long. */
const DEVICE_CODE_LIFETIME_MS = 15 * 60 * 1000;

const userCodeResponseSchema = z
  .object({
    device_auth_id: z.string().min(1),
    user_code: z.string().min(1).optional(),
    usercode: z.string().min(1).optional(),
    // A string of seconds on the wire ("5"); tolerate a number too.
    interval: z.union([z.string(), z.number()]).optional(),
  })
  .refine(value => value.user_code != null || value.usercode != null, { message: 'user_code is missing' });

const pollSuccessSchema = z.object({
  authorization_code: z.string().min(1),
  code_challenge: z.string(),
  code_verifier: z.string().min(1),
});

export interface DeviceCode {
  /** Where the user enters the code: `{issuer}/codex/device`. */
  verificationUrl: string;
  userCode: string;
  deviceAuthId: string;
  intervalMs: number;
  expiresAt: Date;
}

function apiAccountsUrl(issuer: string, path: string): string {
  return `${issuer.replace(/\/+$/, '')}/api/accounts/deviceauth/${path}`;
}

/** Asks the issuer for a one-time user code (`POST /api/accounts/deviceauth/usercode`). */
export async function requestDeviceCode({
  issuer,
  clientId,
  fetch,
  abortSignal,
}: {
  issuer: string;
  clientId: string;
  fetch?: FetchFunction;
  abortSignal?: AbortSignal;
}): Promise<DeviceCode> {
  try {
    const { value } = await postJsonToApi({
      url: apiAccountsUrl(issuer, 'usercode'),
      body: { client_id: clientId },
      failedResponseHandler: oauthFailedResponseHandler,
      successfulResponseHandler: createJsonResponseHandler(userCodeResponseSchema),
      fetch,
      abortSignal,
    });
    const seconds = Number.parseInt(String(value.interval ?? '5').trim(), 10);
    return {
      verificationUrl: `${issuer.replace(/\/+$/, '')}/codex/device`,
      userCode: (value.user_code ?? value.usercode)!,
      deviceAuthId: value.device_auth_id,
      // A 0 s interval would poll in a tight loop; keep a small floor.
      intervalMs: Math.max(Number.isFinite(seconds) ? seconds * 1000 : 5000, 250),
      expiresAt: new Date(Date.now() + DEVICE_CODE_LIFETIME_MS),
    };
  } catch (error) {
    if (APICallError.isInstance(error) && error.statusCode === 404) {
      throw new CodexLoginError({
        reason: 'device-code-unsupported',
        message:
          'Device code login is not enabled for this issuer. Use the browser login (`login` without --device) or check --issuer.',
      });
    }
    throw toLoginError(error, {
      action: 'Requesting a device code',
      reason: 'device-code-failed',
      nextStep: 'Try again, or use the browser login.',
    });
  }
}

/**
 * Polls `POST /api/accounts/deviceauth/token` every `intervalMs` until the user approves (403/404 mean
 * "not yet"), then redeems the returned authorization code with the returned PKCE verifier.
 */
export async function completeDeviceCodeLogin({
  issuer,
  clientId,
  deviceCode,
  fetch,
  abortSignal,
}: {
  issuer: string;
  clientId: string;
  deviceCode: DeviceCode;
  fetch?: FetchFunction;
  abortSignal?: AbortSignal;
}): Promise<LoginTokens> {
  for (;;) {
    abortSignal?.throwIfAborted();
    let approved: z.infer<typeof pollSuccessSchema> | undefined;
    try {
      ({ value: approved } = await postJsonToApi({
        url: apiAccountsUrl(issuer, 'token'),
        body: { device_auth_id: deviceCode.deviceAuthId, user_code: deviceCode.userCode },
        failedResponseHandler: createStatusCodeErrorResponseHandler(),
        successfulResponseHandler: createJsonResponseHandler(pollSuccessSchema),
        fetch,
        abortSignal,
      }));
    } catch (error) {
      const pending =
        APICallError.isInstance(error) && (error.statusCode === 403 || error.statusCode === 404);
      if (!pending) {
        throw toLoginError(error, {
          action: 'Waiting for the device code approval',
          reason: 'device-code-failed',
          nextStep: 'Run `login --device` again.',
        });
      }
    }
    if (approved != null) {
      return exchangeAuthorizationCode({
        issuer,
        clientId,
        code: approved.authorization_code,
        redirectUri: `${issuer.replace(/\/+$/, '')}/deviceauth/callback`,
        codeVerifier: approved.code_verifier,
        fetch,
        abortSignal,
      });
    }
    const remaining = deviceCode.expiresAt.getTime() - Date.now();
    if (remaining <= 0) {
      throw new CodexLoginError({
        reason: 'device-code-expired',
        message: 'The device code expired after 15 minutes without approval. Run `login --device` again.',
      });
    }
    await delay(Math.min(deviceCode.intervalMs, remaining), { abortSignal });
  }
}
