import type { CAC } from 'cac';
import { createCodexTokenManager } from '../auth/token-manager';
import { createCodex } from '../codex-provider';
import { resolveIssuer } from './cli-settings';
import {
  type DestinationOptions,
  FILE_OPTION,
  resolveCredentialSource,
  STORE_OPTION,
} from './credential-destination';
import { print, style } from './terminal';

interface ModelsOptions extends DestinationOptions {
  json?: boolean;
  all?: boolean;
  issuer?: string;
}

export function registerModelsCommand(cli: CAC): void {
  cli
    .command('models', 'List the models your ChatGPT plan offers (the live Codex catalog)')
    .option('--json', 'Print the catalog as JSON')
    .option('--all', 'Include models the Codex CLI hides from its picker')
    .option(STORE_OPTION[0], 'Use this store instead of the auto-detected login (`codex` or `keychain`)')
    .option(FILE_OPTION[0], 'Use the login in this file instead of the auto-detected one')
    .option('--issuer <url>', 'OAuth issuer used to refresh an expired token (default: $CODEX_AUTH_ISSUER)')
    .example(bin => `  $ ${bin} models`)
    .example(bin => `  $ ${bin} models --json --all`)
    .action(runModels);
}

async function runModels(options: ModelsOptions): Promise<void> {
  const source = await resolveCredentialSource(options);
  const codex = createCodex({
    auth: createCodexTokenManager({ source, issuer: resolveIssuer(options.issuer) }),
  });
  const models = (await codex.listModels()).filter(model => options.all || model.visibility !== 'hide');

  if (options.json) {
    print(JSON.stringify(models, null, 2));
    return;
  }
  const width = Math.max(...models.map(model => model.id.length), 5) + 2;
  print(style('gray', `${'MODEL'.padEnd(width)}${'CONTEXT'.padEnd(10)}REASONING EFFORTS`));
  for (const model of models) {
    const context = model.contextWindow != null ? `${Math.round(model.contextWindow / 1000)}k` : '';
    const efforts = model.supportedReasoningEfforts.join(', ');
    print(`${model.id.padEnd(width)}${context.padEnd(10)}${efforts}`);
  }
  print();
  print(style('gray', `Use one with codex('<model>') or the proxy's "model" field.`));
}
