import { readFile } from 'node:fs/promises';
import type { CAC } from 'cac';
import { createCodexTokenManager } from '../auth/token-manager';
import {
  type CodexProxyServer,
  DEFAULT_PROXY_HOST,
  DEFAULT_PROXY_PORT,
  isLoopbackHost,
  serveCodexProxy,
} from '../proxy';
import { resolveProxyApiKey } from '../proxy/api-key';
import { CliError, EXIT_CODES } from './cli-error';
import { resolveIssuer } from './cli-settings';
import {
  type DestinationOptions,
  FILE_OPTION,
  resolveCredentialSource,
  STORE_OPTION,
} from './credential-destination';
import { interruptSignal } from './interrupt';
import { rawOptionValue } from './raw-option-value';
import { print, printInfo, style } from './terminal';
import { addUsageLimitOptions, parseUsageLimitOptions, type UsageLimitOptions } from './usage-limit-options';

interface ServeOptions extends DestinationOptions, UsageLimitOptions {
  host: string;
  port: string | number;
  allowedHost?: string | string[];
  cors?: string | boolean;
  verbose?: boolean;
  issuer?: string;
}

export function registerServeCommand(cli: CAC): void {
  const command = cli
    .command('serve', 'Run the OpenAI-compatible proxy: any OpenAI client on your ChatGPT subscription')
    .option('--host <host>', 'Address to listen on; any other than loopback needs an API key', {
      default: DEFAULT_PROXY_HOST,
    })
    .option('--port <port>', 'Port to listen on (0 picks a free one)', { default: DEFAULT_PROXY_PORT })
    .option(
      '--api-key <key>',
      'Key clients must send as `Authorization: Bearer <key>`, any string; other users can see it in the process list, so prefer --api-key-file or $CODEX_PROXY_API_KEY',
    )
    .option('--api-key-file <path>', 'Read the key from this file (its first line)')
    .option(
      '--allowed-host <host>',
      'Also answer requests naming this host (repeatable; `.example.com` with subdomains); by default only localhost, 127.0.0.1, [::1] and the address listened on',
    )
    .option(
      '--cors [origin]',
      'Let web pages use the proxy: any page, or only this origin; by default browsers’ requests are refused',
    )
    .option('--verbose', 'Log every request (headers and bodies, secrets redacted) to stderr')
    .option(STORE_OPTION[0], 'Use this store instead of the auto-detected login (`codex` or `keychain`)')
    .option(FILE_OPTION[0], 'Use the login in this file instead of the auto-detected one')
    .option('--issuer <url>', 'OAuth issuer used to refresh the token (default: $CODEX_AUTH_ISSUER)');
  addUsageLimitOptions(command)
    .example(bin => `  $ ${bin} serve`)
    .example(bin => `  $ CODEX_PROXY_API_KEY=$(openssl rand -hex 24) ${bin} serve --host 0.0.0.0 --port 8787`)
    .example(bin => `  $ ${bin} serve --on-usage-limit wait --max-usage-wait 30m --fallback-model gpt-6-luna`)
    .example(bin => `  $ ${bin} serve --api-key-file ~/.config/codex-proxy.key --allowed-host proxy.lan`)
    .action((options: ServeOptions) => runServe(options, cli.rawArgs));
}

async function runServe(options: ServeOptions, argv: readonly string[]): Promise<void> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliError(
      `--port must be a whole number from 0 to 65535, not "${options.port}".`,
      EXIT_CODES.usage,
    );
  }
  const host = String(options.host);
  const apiKey = resolveProxyApiKey(await readApiKeyOption(argv));
  if (!isLoopbackHost(host) && apiKey == null) {
    throw new CliError(
      `Refusing to listen on ${host} without an API key: anyone who can reach it could use your ChatGPT subscription. Set one with --api-key-file, --api-key or CODEX_PROXY_API_KEY, or leave --host at 127.0.0.1.`,
      EXIT_CODES.usage,
    );
  }

  const onUsageLimit = parseUsageLimitOptions(options);

  const abortSignal = interruptSignal();
  const auth = createCodexTokenManager({
    source: await resolveCredentialSource(options),
    issuer: resolveIssuer(options.issuer),
  });
  // Fails here, before listening, when there is no usable login.
  await auth.getCredentials({ abortSignal });
  const login = await auth.getLogin({ abortSignal });

  const server = await serveCodexProxy({
    host,
    port,
    apiKey,
    allowedHosts: [options.allowedHost ?? []].flat().map(String),
    verbose: options.verbose === true,
    cors:
      options.cors === true ? true : typeof options.cors === 'string' ? { origin: options.cors } : undefined,
    codex: { auth, onUsageLimit },
    logger: { info: line => printInfo(line), error: line => printInfo(style('red', line, process.stderr)) },
  });

  printBanner(server, {
    account: login.email ?? login.accountId,
    plan: login.planType,
    hasKey: apiKey != null,
  });

  await new Promise<void>(resolve => {
    const stop = () => resolve();
    abortSignal.addEventListener('abort', stop, { once: true });
    process.once('SIGTERM', stop);
  });
  printInfo('Stopping the proxy…');
  await server.close();
}

/**
 * The key of `--api-key` or `--api-key-file`, as typed (any string is a key, all digits included), or
 * undefined for the environment's.
 */
async function readApiKeyOption(argv: readonly string[]): Promise<string | undefined> {
  const key = rawOptionValue(argv, '--api-key');
  const file = rawOptionValue(argv, '--api-key-file');
  if (key != null && file != null) {
    throw new CliError('Give the key once: --api-key or --api-key-file, not both.', EXIT_CODES.usage);
  }
  if (file == null) return key;
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CliError(
      `Cannot read the key file ${file} (${error.code ?? error.message}). Write the key on its first line, e.g. \`openssl rand -hex 24 > ${file}\`.`,
      EXIT_CODES.usage,
    );
  });
  const fileKey = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)[0]
    ?.trim();
  if (!fileKey) {
    throw new CliError(
      `The key file ${file} is empty: write the key on its first line, e.g. \`openssl rand -hex 24 > ${file}\`.`,
      EXIT_CODES.usage,
    );
  }
  return fileKey;
}

function printBanner(
  server: CodexProxyServer,
  { account, plan, hasKey }: { account: string; plan?: string; hasKey: boolean },
) {
  // Clients on this machine reach a proxy listening on all interfaces through loopback.
  const url =
    server.host === '0.0.0.0' || server.host === '::' ? `http://127.0.0.1:${server.port}` : server.url;
  const baseURL = `${url}/v1`;
  const key = hasKey ? 'process.env.CODEX_PROXY_API_KEY' : "'unused'";
  const curlAuth = hasKey ? ` \\\n    -H "Authorization: Bearer $CODEX_PROXY_API_KEY"` : '';
  const heading = (text: string) => style('bold', text);

  print(`${style('green', '●')} Codex proxy listening on ${style('bold', server.url)}`);
  print(`  Account   ${account}${plan != null ? ` (${plan} plan)` : ''}`);
  print(`  Base URL  ${baseURL}`);
  print(
    `  API key   ${hasKey ? 'required (Authorization: Bearer $CODEX_PROXY_API_KEY)' : 'none (loopback only)'}`,
  );
  print();
  print(heading('openai SDK'));
  print(`  import OpenAI from 'openai';`);
  print(`  const client = new OpenAI({ baseURL: '${baseURL}', apiKey: ${key} });`);
  print(
    `  const completion = await client.chat.completions.create({ model: 'gpt-5.5', messages: [{ role: 'user', content: 'Hello' }] });`,
  );
  print();
  print(heading('curl'));
  print(`  curl ${baseURL}/chat/completions${curlAuth} \\`);
  print(`    -H "Content-Type: application/json" \\`);
  print(`    -d '{"model":"gpt-5.5","messages":[{"role":"user","content":"Hello"}]}'`);
  print();
  print(style('gray', 'Press Ctrl-C to stop.'));
}
