import type { CAC } from 'cac';
import type { CodexLogin } from '../auth/codex-credential-source';
import { createRedisCredentialStore } from '../auth/stores/redis-store';
import { CliError, EXIT_CODES } from './cli-error';
import { resolveDestination } from './credential-destination';
import { describeLoginOwner } from './describe-login';
import { interruptSignal } from './interrupt';
import { forgetLogin } from './login-ledger';
import { connectRedis, REDIS_ENVIRONMENT_HELP } from './redis-connection';
import { refuseToReplaceLogin } from './refuse-to-replace-login';
import { print, printInfo } from './terminal';

const DEFAULT_KEY = 'codex:cred:default';

interface UploadOptions {
  from?: string;
  file?: string;
  redisUrl?: string;
  key?: string;
  move?: boolean;
  force?: boolean;
}

export function registerUploadCommand(cli: CAC): void {
  cli
    .command('upload', 'Move a login into a shared Redis store, for serverless apps and several servers')
    .option('--from <store>', 'Where the login is: `codex` ($CODEX_HOME/auth.json; default) or `keychain`')
    .option('--file <path>', 'Upload the login in this file (Codex auth.json format) instead')
    .option(
      '--redis-url <url>',
      'The Redis server, e.g. rediss://default:PASSWORD@HOST:6379 (default: see below)',
    )
    .option('--key <key>', `The key holding the login (default: $CODEX_REDIS_KEY or ${DEFAULT_KEY})`)
    .option('--move', 'Take the Codex CLI’s own login (it will have to sign in again)')
    .option('--force', 'Replace a login the store already holds')
    .usage(
      `upload [options]

Puts a ChatGPT login into a Redis store that every instance of your app shares: they cache the access
token, and one of them at a time rotates the refresh token under the store's lock.

Refresh tokens are single-use, so a login cannot stay in two places: the local copy is removed once the
store holds it. For the Codex CLI's own login that means \`codex login\` again (hence --move); to keep it,
upload a second login instead:
  $ ai-sdk-provider-codex login --file deploy-login.json
  $ ai-sdk-provider-codex upload --file deploy-login.json

${REDIS_ENVIRONMENT_HELP}`,
    )
    .example(bin => `  $ ${bin} upload --file deploy-login.json --redis-url "$REDIS_URL"`)
    .example(bin => `  $ UPSTASH_REDIS_REST_URL=… UPSTASH_REDIS_REST_TOKEN=… ${bin} upload --move`)
    .action(runUpload);
}

async function runUpload(options: UploadOptions): Promise<void> {
  const abortSignal = interruptSignal();
  if (options.from != null && options.file != null) {
    throw new CliError('Use either --from or --file, not both. Nothing was changed.', EXIT_CODES.usage);
  }
  if (options.from != null && options.from !== 'codex' && options.from !== 'keychain') {
    throw new CliError(
      `Unknown --from "${options.from}". Use --from codex ($CODEX_HOME/auth.json), --from keychain, or --file <path>.`,
      EXIT_CODES.usage,
    );
  }
  const source = resolveDestination({ store: options.from, file: options.file });
  const isCodexCliLogin = options.file == null && (options.from ?? 'codex') === 'codex';

  const connection = await connectRedis(options.redisUrl);
  try {
    const key = options.key || process.env.CODEX_REDIS_KEY || DEFAULT_KEY;
    const store = createRedisCredentialStore({
      client: connection.client,
      key,
      description: `${connection.description}, key ${key}`,
    });

    await refuseToReplaceLogin(store, {
      force: options.force,
      alternative: 'choose another key with --key',
      abortSignal,
    });

    // Copy under the source's lock (the Codex CLI's own for auth.json), so no refresh there slips in between.
    let uploaded: CodexLogin | undefined;
    await source.update(
      async login => {
        if (login == null) {
          throw new CliError(
            `${source.description} holds no login. Nothing was changed. Sign in first: ai-sdk-provider-codex login --file deploy-login.json, then upload --file deploy-login.json.`,
            EXIT_CODES.notLoggedIn,
          );
        }
        if (login.refreshToken == null || login.refreshToken === '') {
          throw new CliError(
            `${source.description} holds no refresh token, so the store could never renew it. Nothing was changed. Sign in again and upload that login.`,
            EXIT_CODES.notLoggedIn,
          );
        }
        if (isCodexCliLogin && !options.move) {
          throw new CliError(
            `${source.description} is the Codex CLI’s login (${describeLoginOwner(login)}). Refresh tokens are single-use, ` +
              'so it cannot stay there once the store has it: uploading it logs the Codex CLI out. Nothing was changed.\n' +
              'Either pass --move (then run `codex login` to give the Codex CLI a login of its own), or upload a separate login:\n' +
              '  ai-sdk-provider-codex login --file deploy-login.json\n' +
              '  ai-sdk-provider-codex upload --file deploy-login.json',
            EXIT_CODES.usage,
          );
        }
        await store.save(login, { abortSignal });
        uploaded = login;
        return undefined;
      },
      { abortSignal },
    );

    // A second holder of the same refresh token would spend it under the store's feet (and a reused refresh
    // token can revoke the whole login), so the local copy goes.
    await source.remove({ abortSignal });
    await forgetLogin(source.description);

    print(`Uploaded ${describeLoginOwner(uploaded!)} to ${store.description}.`);
    print(`Removed it from ${source.description}: the store is now its only holder.`);
    if (isCodexCliLogin) {
      printInfo(
        'The Codex CLI on this machine is logged out: run `codex login` to give it a login of its own.',
      );
    }
  } finally {
    await connection.close();
  }
}
