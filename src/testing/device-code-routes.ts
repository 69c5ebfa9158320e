import type { HttpBindings } from '@hono/node-server';
import type { Hono } from 'hono';
import { z } from 'zod/v4';
import { type EmulatorState, htmlResponse, jsonResponse, recordedRoute } from './emulator-state';
import { deviceCodePage, messagePage } from './login-pages';

const DEVICE_PAGE_PATH = '/codex/device';

const usercodeRequestSchema = z.object({ client_id: z.string().min(1) });
const tokenPollSchema = z.object({ device_auth_id: z.string().min(1), user_code: z.string().min(1) });

/**
 * The Codex device-code login (codex-rs/login/src/device_code_auth.rs): request a user code, poll
 * until the person approves it on `/codex/device`, then exchange the returned code with PKCE.
 */
export function registerDeviceCodeRoutes(app: Hono<{ Bindings: HttpBindings }>, state: EmulatorState): void {
  app.post(
    '/api/accounts/deviceauth/usercode',
    recordedRoute(state, 'device_usercode', async (_c, record) => {
      const request = usercodeRequestSchema.safeParse(record.body);
      if (!request.success)
        return jsonResponse(400, { error: { message: 'client_id is required', code: 'invalid_request' } });
      if (request.data.client_id !== state.clientId) {
        return jsonResponse(400, { error: { message: 'Unknown client_id', code: 'invalid_client' } });
      }
      const device = state.flows.createDeviceAuthorization(state.settings.autoApprove);
      return jsonResponse(200, {
        device_auth_id: device.deviceAuthId,
        user_code: device.userCode,
        // The backend sends the interval as a string.
        interval: String(state.settings.deviceCodeIntervalSeconds),
        expires_at: new Date(device.expiresAt).toISOString(),
      });
    }),
  );

  app.post(
    '/api/accounts/deviceauth/token',
    recordedRoute(state, 'device_token', async (_c, record) => {
      const request = tokenPollSchema.safeParse(record.body);
      if (!request.success) {
        return jsonResponse(400, {
          error: { message: 'device_auth_id and user_code are required', code: 'invalid_request' },
        });
      }
      const poll = state.flows.pollDevice(request.data.device_auth_id, request.data.user_code);
      switch (poll.status) {
        case 'approved':
          return jsonResponse(200, {
            authorization_code: poll.authorizationCode,
            code_challenge: poll.codeChallenge,
            code_verifier: poll.codeVerifier,
          });
        // The CLI keeps polling on 403 and 404.
        case 'pending':
          return jsonResponse(403, {
            error: { message: 'Device authorization is pending', code: 'authorization_pending' },
          });
        case 'unknown':
          return jsonResponse(404, { error: { message: 'Unknown device authorization', code: 'not_found' } });
        case 'denied':
          return jsonResponse(400, {
            error: { message: 'The user denied the device', code: 'access_denied' },
          });
        case 'expired':
          return jsonResponse(400, { error: { message: 'The device code expired', code: 'expired_token' } });
      }
    }),
  );

  app.get(
    DEVICE_PAGE_PATH,
    recordedRoute(state, 'device_page', async (_c, record) =>
      htmlResponse(200, deviceCodePage({ action: DEVICE_PAGE_PATH, userCode: record.query.user_code })),
    ),
  );

  app.post(
    DEVICE_PAGE_PATH,
    recordedRoute(state, 'device_page', async (_c, record) => {
      const fields = (record.body ?? {}) as Record<string, unknown>;
      const code = typeof fields.user_code === 'string' ? fields.user_code : '';
      if (!state.flows.decideDevice(code, fields.decision !== 'deny')) {
        return htmlResponse(
          400,
          deviceCodePage({
            action: DEVICE_PAGE_PATH,
            userCode: code,
            message: 'That code is unknown or has expired.',
          }),
        );
      }
      return htmlResponse(
        200,
        messagePage('Device connected', 'You can close this page and return to your device.'),
      );
    }),
  );
}
