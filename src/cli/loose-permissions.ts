import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { resolveCodexHome } from '../auth/codex-home';
import type { DestinationOptions } from './credential-destination';

/**
 * Why each place a file login lives is open to other users, e.g. "/home/me/.codex can be written by other users
 * (mode 0777)": whoever can write the folder or the file can replace the login, and whoever can read the file
 * holds it. The folder and file `--file` names, else `$CODEX_HOME` and its auth.json (links followed).
 */
export async function describeLoosePermissions(options: DestinationOptions): Promise<string[]> {
  const file = options.file != null ? resolve(options.file) : join(resolveCodexHome(), 'auth.json');
  const problems: string[] = [];
  for (const [path, isFile] of [
    [dirname(file), false],
    [file, true],
  ] as const) {
    const stats = await stat(path).catch(() => undefined);
    if (stats == null || (isFile && !stats.isFile())) continue;
    const mode = stats.mode & 0o777;
    const modeText = `mode ${mode.toString(8).padStart(4, '0')}`;
    if ((mode & 0o022) !== 0) {
      problems.push(
        `${path} can be written by other users (${modeText}), who could replace the login: run \`chmod go-w ${path}\`.`,
      );
    } else if (isFile && (mode & 0o044) !== 0) {
      problems.push(
        `${path} can be read by other users (${modeText}), who could copy the login: run \`chmod 600 ${path}\`.`,
      );
    }
  }
  return problems;
}
