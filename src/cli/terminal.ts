import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

function colorsEnabled(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && process.env.NO_COLOR == null && process.env.TERM !== 'dumb';
}

/** Styles `text` for `stream` when it is a terminal that wants colors. */
export function style(format: Style, text: string, stream: NodeJS.WriteStream = process.stdout): string {
  return colorsEnabled(stream) ? styleText(format, text) : text;
}

/** Writes a line to stdout (results). */
export function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Writes a line to stderr (progress, prompts, warnings, errors). */
export function printInfo(line = ''): void {
  process.stderr.write(`${line}\n`);
}

export function printWarning(line: string): void {
  printInfo(`${style('yellow', 'warning:', process.stderr)} ${line}`);
}
