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
  serviceTiers: boolean;
}): EmulatorModelInfo {
  // Field set and order follow codex-rs/models-manager/models.json (fixtures/codex/models_catalog_gpt-5.5_trimmed.json).
  return {
    slug: entry.slug,
    prefer_websockets: false,
    support_verbosity: true,
    default_verbosity: 'low',
    apply_patch_tool_type: 'freeform',
    web_search_tool_type: 'text_and_image',
    input_modalities: ['text', 'image'],
    supports_image_detail_original: true,
    truncation_policy: { mode: 'tokens', limit: 10_000 },
    supports_parallel_tool_calls: true,
    tool_mode: null,
    multi_agent_version: null,
    use_responses_lite: false,
    context_window: entry.contextWindow,
    max_context_window: entry.maxContextWindow,
    auto_compact_token_limit: null,
    default_reasoning_summary: entry.defaultReasoningSummary,
    display_name: entry.displayName,
    description: entry.description,
    default_reasoning_level: 'medium',
    supported_reasoning_levels: entry.efforts.map(effort => ({
      effort,
      description: EFFORT_DESCRIPTIONS[effort] ?? effort,
    })),
    shell_type: 'unified_exec',
    visibility: entry.visibility,
    minimal_client_version: '0.124.0',
    supported_in_api: true,
    availability_nux: null,
    upgrade: null,
    priority: entry.priority,
    experimental_supported_tools: [],
    available_in_plans: entry.plans,
    supports_search_tool: true,
    default_service_tier: null,
    service_tiers: entry.serviceTiers
      ? [{ id: 'priority', name: 'Fast', description: '1.5x speed, increased usage' }]
      : [],
    additional_speed_tiers: entry.serviceTiers ? ['fast'] : [],
    supports_reasoning_summary_parameter: true,
    supports_reasoning_summaries: true,
    base_instructions:
      "You are Codex, a coding agent based on GPT-5. You and the user share the same workspace and collaborate to achieve the user's goals.",
  };
}

/** The catalog served by default: the current ChatGPT-plan models, shaped like the live `/models` answer. */
export function defaultModelsCatalog(): EmulatorModelInfo[] {
  return [
    model({
      slug: 'gpt-5.5',
      displayName: 'GPT-5.5',
      description: 'Frontier model for complex coding, research, and real-world work.',
      efforts: ['low', 'medium', 'high', 'xhigh'],
      visibility: 'list',
      priority: 7,
      contextWindow: 272_000,
      maxContextWindow: 272_000,
      defaultReasoningSummary: 'none',
      plans: ALL_PLANS,
      serviceTiers: true,
    }),
    model({
      slug: 'gpt-5.4',
      displayName: 'GPT-5.4',
      description: 'Strong model for everyday coding.',
      efforts: ['low', 'medium', 'high', 'xhigh'],
      visibility: 'hide',
      priority: 8,
      contextWindow: 272_000,
      maxContextWindow: 1_000_000,
      defaultReasoningSummary: 'none',
      plans: ALL_PLANS.filter(plan => !['free', 'free_workspace', 'k12'].includes(plan)),
      serviceTiers: true,
    }),
    model({
      slug: 'gpt-5.4-mini',
      displayName: 'GPT-5.4-Mini',
      description: 'Small, fast and cost-efficient model for simpler coding tasks.',
      efforts: ['low', 'medium', 'high', 'xhigh'],
      visibility: 'hide',
      priority: 9,
      contextWindow: 272_000,
      maxContextWindow: 272_000,
      defaultReasoningSummary: 'none',
      plans: ALL_PLANS,
      serviceTiers: false,
    }),
    model({
      slug: 'gpt-5.2',
      displayName: 'GPT-5.2',
      description: 'Previous-generation model with reasoning summaries on by default.',
      efforts: ['low', 'medium', 'high', 'xhigh'],
      visibility: 'list',
      priority: 10,
      contextWindow: 272_000,
      maxContextWindow: 272_000,
      defaultReasoningSummary: 'auto',
      plans: ALL_PLANS.filter(plan => !['free', 'free_workspace', 'go', 'k12'].includes(plan)),
      serviceTiers: false,
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
