import type { CAC } from 'cac';
import { registerImportCommand } from './import-command';
import { registerLoginCommand } from './login-command';
import { registerLogoutCommand } from './logout-command';
import { registerModelsCommand } from './models-command';
import { registerServeCommand } from './serve-command';
import { registerStatusCommand } from './status-command';
import { registerUploadCommand } from './upload-command';

/** Adds one subcommand to the CLI. Each subcommand lives in its own `*-command.ts` file. */
export type RegisterCommand = (cli: CAC) => void;

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: RegisterCommand[] = [
  registerLoginCommand,
  registerLogoutCommand,
  registerStatusCommand,
  registerImportCommand,
  registerUploadCommand,
  registerModelsCommand,
  registerServeCommand,
];
