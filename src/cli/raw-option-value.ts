/**
 * The value of `--name <value>` or `--name=value` exactly as typed, the last one when repeated. cac converts
 * values that look like numbers (`--api-key 0123456789012345678901` becomes a rounded number), so options whose
 * value is any string, such as keys and paths, are read from the raw arguments.
 */
export function rawOptionValue(argv: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  const end = argv.indexOf('--');
  const args = end === -1 ? argv : argv.slice(0, end);
  for (const [index, arg] of args.entries()) {
    if (arg === name) value = args[index + 1];
    else if (arg.startsWith(`${name}=`)) value = arg.slice(name.length + 1);
  }
  return value;
}
