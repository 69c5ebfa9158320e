import { customTool } from './tools/custom-tool';
import { webSearch } from './tools/web-search';

/** Provider tools, available as `codex.tools`. */
export const codexTools = {
  /** Web search run by the Codex backend; citations come back as sources. */
  webSearch,
  /** A custom (freeform) tool: the model's input is raw text, optionally constrained by a grammar. */
  customTool,
};
