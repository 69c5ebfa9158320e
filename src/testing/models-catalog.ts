/** One entry of `GET /backend-api/codex/models` (the backend's `ModelInfo`; extra fields pass through). */
export interface EmulatorModelInfo {
  slug: string;
  display_name: string;
  description: string;
  default_reasoning_level: string;
  supported_reasoning_levels: Array<{ effort: string; description: string }>;
  visibility: 'list' | 'hide';
  /** Oldest client version that is shown the model (`X.Y.Z`). */
  minimal_client_version: string;
  /** Plans allowed to use the model; others get the backend's "model is not supported" 400. */
  available_in_plans: string[];
  [key: string]: unknown;
}

const EFFORT_DESCRIPTIONS: Record<string, string> = {
  minimal: 'Fastest responses with very little reasoning',
  low: 'Fast responses with lighter reasoning',
  medium: 'Balances speed and reasoning depth for everyday tasks',
  high: 'Greater reasoning depth for complex problems',
  xhigh: 'Extra high reasoning depth for complex problems',
  max: 'Maximum reasoning depth for the hardest problems',
  ultra: 'Maximum reasoning with automatic task delegation',
};

const ALL_PLANS = [
  'business',
  'edu',
  'edu_plus',
  'edu_pro',
  'education',
  'enterprise',
  'enterprise_cbp_automation',
  'enterprise_cbp_usage_based',
  'finserv',
  'free',
  'free_workspace',
  'go',
  'hc',
  'k12',
  'plus',
  'pro',
  'prolite',
  'quorum',
  'sci',
  'self_serve_business_prolite',
  'self_serve_business_usage_based',
  'team',
];

const PAID_PLANS = ALL_PLANS.filter(plan => !['free', 'free_workspace', 'k12'].includes(plan));

function model(entry: {
  slug: string;
  displayName: string;
  description: string;
  efforts: string[];
  visibility: 'list' | 'hide';
  priority: number;
  contextWindow: number;
  maxContextWindow: number;
  defaultReasoningSummary: 'none' | 'auto';
  plans: string[];
  /** Description of the `priority` ("Fast") tier, when the model offers it. */
  fastTier?: string;
  defaultEffort?: string;
  defaultVerbosity?: 'low' | 'medium' | 'high';
  /** The November fields: Responses Lite models run in the CLI's code mode. */
  useResponsesLite?: boolean;
  preferWebsockets?: boolean;
  multiAgentReasoningEffort?: string | null;
  minimalClientVersion?: string;
}): EmulatorModelInfo {
  const lite = entry.useResponsesLite ?? false;
  // Field set and order follow the Codex CLI's models.json (fixtures/codex/models_catalog_gpt-5.5_trimmed.json,
  // reference/codex-0.171-models.json), without the long `model_messages`.
  return {
    slug: entry.slug,
    prefer_websockets: entry.preferWebsockets ?? false,
    support_verbosity: true,
    default_verbosity: entry.defaultVerbosity ?? 'low',
    apply_patch_tool_type: 'freeform',
    web_search_tool_type: 'text_and_image',
    input_modalities: ['text', 'image'],
    supports_image_detail_original: true,
    truncation_policy: { mode: 'tokens', limit: 10_000 },
    supports_parallel_tool_calls: true,
    tool_mode: lite ? 'code_mode_only' : null,
    multi_agent_version: lite ? 'v2' : null,
    multi_agent_reasoning_effort: entry.multiAgentReasoningEffort ?? null,
    use_responses_lite: lite,
    context_window: entry.contextWindow,
    max_context_window: entry.maxContextWindow,
    auto_compact_token_limit: null,
    default_reasoning_summary: entry.defaultReasoningSummary,
    display_name: entry.displayName,
    description: entry.description,
    default_reasoning_level: entry.defaultEffort ?? 'medium',
    supported_reasoning_levels: entry.efforts.map(effort => ({
      effort,
      description: EFFORT_DESCRIPTIONS[effort] ?? effort,
    })),
    shell_type: 'unified_exec',
    visibility: entry.visibility,
    minimal_client_version: entry.minimalClientVersion ?? '0.124.0',
    supported_in_api: true,
    availability_nux: null,
    upgrade: null,
    priority: entry.priority,
    experimental_supported_tools: [],
    available_in_plans: entry.plans,
    supports_search_tool: true,
    default_service_tier: null,
    service_tiers: entry.fastTier ? [{ id: 'priority', name: 'Fast', description: entry.fastTier }] : [],
    additional_speed_tiers: entry.fastTier ? ['fast'] : [],
    supports_reasoning_summary_parameter: true,
    supports_reasoning_summaries: true,
    base_instructions:
      "You are Codex, a coding agent based on GPT-5. You and the user share the same workspace and collaborate to achieve the user's goals.",
  };
}

const STANDARD_EFFORTS = ['low', 'medium', 'high', 'xhigh'];
const WITHOUT_ULTRA = [...STANDARD_EFFORTS, 'max'];
const WITH_ULTRA = [...WITHOUT_ULTRA, 'ultra'];

type NovemberEntry = Pick<
  Parameters<typeof model>[0],
  | 'slug'
  | 'displayName'
  | 'description'
  | 'contextWindow'
  | 'maxContextWindow'
  | 'defaultEffort'
  | 'efforts'
  | 'multiAgentReasoningEffort'
  | 'fastTier'
  | 'defaultVerbosity'
  | 'minimalClientVersion'
> & { visibility?: 'hide'; paidOnly?: true };

// The models of the Codex CLI 0.171.0 catalog (reference/codex-0.171-models.json), in its order.
const NOVEMBER: NovemberEntry[] = [
  {
    slug: 'gpt-6.2-sol',
    displayName: 'GPT-6.2-Sol',
    description: 'Fast, go-to model for coding and everyday work.',
    contextWindow: 500_000,
    maxContextWindow: 872_000,
    defaultEffort: 'low',
    efforts: WITH_ULTRA,
    multiAgentReasoningEffort: 'xhigh',
    fastTier: '2x speed, increased usage',
    paidOnly: true,
    minimalClientVersion: '0.166.0',
  },
  {
    slug: 'gpt-6.2-astra',
    displayName: 'GPT-6.2-Astra',
    description: 'Our most capable model for complex coding and professional work.',
    contextWindow: 272_000,
    maxContextWindow: 872_000,
    defaultEffort: 'low',
    efforts: WITH_ULTRA,
    multiAgentReasoningEffort: 'xhigh',
    fastTier: '2x speed, increased usage',
    paidOnly: true,
    minimalClientVersion: '0.166.0',
  },
  {
    slug: 'gpt-6-astra',
    displayName: 'GPT-6-Astra',
    description: 'Previous generation model for complex coding and professional work.',
    contextWindow: 272_000,
    maxContextWindow: 872_000,
    defaultEffort: 'low',
    efforts: WITH_ULTRA,
    multiAgentReasoningEffort: 'xhigh',
    fastTier: '2x speed, increased usage',
    minimalClientVersion: '0.153.0',
  },
  {
    slug: 'gpt-6.1-sol',
    displayName: 'GPT-6.1-Sol',
    description: 'Previous generation model for coding and everyday work.',
    contextWindow: 500_000,
    maxContextWindow: 872_000,
    defaultEffort: 'low',
    efforts: WITH_ULTRA,
    multiAgentReasoningEffort: 'xhigh',
    fastTier: '2x speed, increased usage',
    minimalClientVersion: '0.153.0',
  },
  {
    slug: 'gpt-6.1-terra',
    displayName: 'GPT-6.1 Terra',
    description: 'Efficient model that excels at visual understanding and computer use.',
    contextWindow: 500_000,
    maxContextWindow: 872_000,
    defaultEffort: 'low',
    efforts: WITH_ULTRA,
    multiAgentReasoningEffort: 'xhigh',
    fastTier: '1.5x speed',
    minimalClientVersion: '0.153.0',
  },
  {
    slug: 'gpt-6-sol',
    displayName: 'GPT-6-Sol',
    description: 'Legacy model for coding and everyday work.',
    contextWindow: 272_000,
    maxContextWindow: 872_000,
    defaultEffort: 'medium',
    efforts: WITH_ULTRA,
    fastTier: '1.5x speed',
    minimalClientVersion: '0.155.0',
  },
  {
    slug: 'gpt-6-luna',
    displayName: 'GPT-6-Luna',
    description: 'Fast and affordable model for easier tasks.',
    contextWindow: 272_000,
    maxContextWindow: 872_000,
    defaultEffort: 'medium',
    efforts: WITHOUT_ULTRA,
    fastTier: '1.5x speed',
    minimalClientVersion: '0.155.0',
  },
  {
    slug: 'gpt-5.6-sol',
    displayName: 'GPT-5.6-Sol',
    description: 'Legacy model for coding and everyday work.',
    contextWindow: 272_000,
    maxContextWindow: 872_000,
    defaultEffort: 'low',
    efforts: WITH_ULTRA,
    fastTier: '1.5x speed, increased usage',
    minimalClientVersion: '0.144.0',
  },
  {
    slug: 'gpt-5.6-terra',
    displayName: 'GPT-5.6-Terra',
    description: 'Legacy balanced model for agentic coding.',
    contextWindow: 272_000,
    maxContextWindow: 872_000,
    defaultEffort: 'medium',
    efforts: WITH_ULTRA,
    fastTier: '1.5x speed, increased usage',
    minimalClientVersion: '0.144.0',
  },
  {
    slug: 'gpt-5.6-luna',
    displayName: 'GPT-5.6-Luna',
    description: 'Legacy fast model for simpler tasks.',
    contextWindow: 272_000,
    maxContextWindow: 872_000,
    defaultEffort: 'medium',
    efforts: WITHOUT_ULTRA,
    fastTier: '1.5x speed, increased usage',
    minimalClientVersion: '0.144.0',
  },
  {
    slug: 'gpt-daybreak-blue-latest',
    displayName: 'Daybreak Blue',
    description: 'Latest frontier agentic coding model for broad defensive cybersecurity work.',
    contextWindow: 272_000,
    maxContextWindow: 872_000,
    defaultEffort: 'low',
    efforts: WITH_ULTRA,
    visibility: 'hide',
    minimalClientVersion: '0.144.0',
  },
  {
    slug: 'gpt-daybreak-red-latest',
    displayName: 'Daybreak Red',
    description:
      'Cyber-permissive variant of our latest frontier agentic coding model for advanced, authorized cybersecurity research.',
    contextWindow: 372_000,
    maxContextWindow: 372_000,
    defaultEffort: 'medium',
    efforts: WITH_ULTRA,
    visibility: 'hide',
    defaultVerbosity: 'high',
    minimalClientVersion: '0.142.2',
  },
  {
    slug: 'gpt-5.5',
    displayName: 'GPT-5.5',
    description: 'Legacy coding model.',
    contextWindow: 272_000,
    maxContextWindow: 272_000,
    defaultEffort: 'medium',
    efforts: STANDARD_EFFORTS,
    fastTier: '1.5x speed, increased usage',
    minimalClientVersion: '0.124.0',
  },
  {
    slug: 'codex-auto-review',
    displayName: 'Codex Auto Review',
    description: 'Automatic approval review model for Codex.',
    contextWindow: 272_000,
    maxContextWindow: 872_000,
    defaultEffort: 'medium',
    efforts: WITHOUT_ULTRA,
    visibility: 'hide',
    fastTier: '1.5x speed, increased usage',
    paidOnly: true,
    minimalClientVersion: '0.98.0',
  },
];

/**
 * The catalog served by default: the 14 models of the Codex CLI 0.171.0 (November 2026), shaped like the
 * live `/models` answer. All but gpt-5.5 take Responses Lite; gpt-daybreak-red-latest is the one whose
 * `default_verbosity` is `high`.
 */
export function defaultModelsCatalog(): EmulatorModelInfo[] {
  return NOVEMBER.map(({ visibility, paidOnly, ...entry }, index) =>
    model({
      ...entry,
      visibility: visibility ?? 'list',
      priority: index + 1,
      defaultReasoningSummary: 'none',
      plans: paidOnly ? PAID_PLANS : ALL_PLANS,
      useResponsesLite: entry.slug !== 'gpt-5.5',
      preferWebsockets: true,
    }),
  );
}

/**
 * The August 2026 catalog (gpt-5.5, gpt-5.4, gpt-5.4-mini, gpt-5.2; no Responses Lite), for tests of
 * clients that predate the November models: `startCodexEmulator({ models: augustModelsCatalog() })`.
 */
export function augustModelsCatalog(): EmulatorModelInfo[] {
  return [
    model({
      slug: 'gpt-5.5',
      displayName: 'GPT-5.5',
      description: 'Frontier model for complex coding, research, and real-world work.',
      efforts: STANDARD_EFFORTS,
      visibility: 'list',
      priority: 7,
      contextWindow: 272_000,
      maxContextWindow: 272_000,
      defaultReasoningSummary: 'none',
      plans: ALL_PLANS,
      fastTier: '1.5x speed, increased usage',
    }),
    model({
      slug: 'gpt-5.4',
      displayName: 'GPT-5.4',
      description: 'Strong model for everyday coding.',
      efforts: STANDARD_EFFORTS,
      visibility: 'hide',
      priority: 8,
      contextWindow: 272_000,
      maxContextWindow: 1_000_000,
      defaultReasoningSummary: 'none',
      plans: PAID_PLANS,
      fastTier: '1.5x speed, increased usage',
    }),
    model({
      slug: 'gpt-5.4-mini',
      displayName: 'GPT-5.4-Mini',
      description: 'Small, fast and cost-efficient model for simpler coding tasks.',
      efforts: STANDARD_EFFORTS,
      visibility: 'hide',
      priority: 9,
      contextWindow: 272_000,
      maxContextWindow: 272_000,
      defaultReasoningSummary: 'none',
      plans: ALL_PLANS,
    }),
    model({
      slug: 'gpt-5.2',
      displayName: 'GPT-5.2',
      description: 'Previous-generation model with reasoning summaries on by default.',
      efforts: STANDARD_EFFORTS,
      visibility: 'list',
      priority: 10,
      contextWindow: 272_000,
      maxContextWindow: 272_000,
      defaultReasoningSummary: 'auto',
      plans: ALL_PLANS.filter(plan => !['free', 'free_workspace', 'go', 'k12'].includes(plan)),
    }),
  ];
}

function parseVersion(version: string): [number, number, number] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** Whether a client of `clientVersion` is shown a model that needs `minimalVersion`. */
export function clientSupportsModel(clientVersion: string | undefined, minimalVersion: string): boolean {
  const client = clientVersion ? parseVersion(clientVersion) : undefined;
  const minimal = parseVersion(minimalVersion);
  if (!client || !minimal) return true;
  for (let i = 0; i < 3; i++) {
    if (client[i]! !== minimal[i]!) return client[i]! > minimal[i]!;
  }
  return true;
}
