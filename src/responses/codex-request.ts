import type { JSONSchema7 } from '@ai-sdk/provider';

/** Wire types of `POST {baseURL}/responses`, as far as this provider sends them. */

export type CodexInputContent =
  | { type: 'input_text'; text: string }
  | { type: 'input_image'; image_url: string; detail?: 'auto' | 'low' | 'high' | 'original' }
  | { type: 'input_file'; filename?: string; file_data?: string; file_url?: string };

export type CodexMessageItem =
  | { type: 'message'; id?: string; role: 'user' | 'developer'; content: CodexInputContent[] }
  | {
      type: 'message';
      id?: string;
      role: 'assistant';
      content: Array<{ type: 'output_text'; text: string }>;
      phase?: 'commentary' | 'final_answer';
    };

/** Reasoning replayed from an earlier turn. Never carries an id: with `store:false` there is nothing to look up. */
export type CodexReasoningItem = {
  type: 'reasoning';
  summary: Array<{ type: 'summary_text'; text: string }>;
  encrypted_content: string;
};

export type CodexFunctionCallItem = {
  type: 'function_call';
  call_id: string;
  name: string;
  /** Under Responses Lite, the namespace of the tool (`functions` for the caller's tools). */
  namespace?: string;
  arguments: string;
};

export type CodexCustomToolCallItem = {
  type: 'custom_tool_call';
  call_id: string;
  name: string;
  namespace?: string;
  input: string;
};

export type CodexToolOutput = string | CodexInputContent[];

export type CodexFunctionCallOutputItem = {
  type: 'function_call_output' | 'custom_tool_call_output';
  id?: string;
  call_id: string;
  output: CodexToolOutput;
};

/** The backend's summary of the conversation before it (remote compaction v2), replayed as it came. */
export type CodexCompactionItem = { type: 'compaction'; encrypted_content: string };

/** Asks the backend to compact the conversation before it: the answer is a `compaction` output item. */
export type CodexCompactionTriggerItem = { type: 'compaction_trigger' };

/** Responses Lite: the tools of the request, as the first input item instead of the top-level `tools`. */
export type CodexAdditionalToolsItem = {
  type: 'additional_tools';
  id?: string;
  role: 'developer';
  tools: CodexTool[];
};

export type CodexInputItem =
  | CodexAdditionalToolsItem
  | CodexMessageItem
  | CodexReasoningItem
  | CodexFunctionCallItem
  | CodexCustomToolCallItem
  | CodexFunctionCallOutputItem
  | CodexCompactionItem
  | CodexCompactionTriggerItem;

export type CodexTool =
  | { type: 'namespace'; name: string; description: string; tools: CodexTool[] }
  | {
      type: 'function';
      name: string;
      description?: string;
      parameters: JSONSchema7;
      strict: boolean;
    }
  | {
      type: 'custom';
      name: string;
      description?: string;
      format?: { type: 'grammar'; syntax: 'lark' | 'regex'; definition: string } | { type: 'text' };
    }
  | {
      type: 'web_search';
      external_web_access?: boolean;
      filters?: { allowed_domains?: string[] };
      user_location?: {
        type: 'approximate';
        country?: string;
        city?: string;
        region?: string;
        timezone?: string;
      };
      search_context_size?: 'low' | 'medium' | 'high';
    };

export type CodexToolChoice =
  | 'auto'
  | 'none'
  | 'required'
  | { type: 'function'; name: string }
  | { type: 'custom'; name: string }
  | { type: 'web_search' };

export type CodexTextFormat =
  | { type: 'json_schema'; name: string; description?: string; schema: JSONSchema7; strict: boolean }
  | { type: 'json_object' };

export type CodexRequestBody = {
  model: string;
  instructions?: string;
  stream: true;
  input: CodexInputItem[];
  tools?: CodexTool[];
  tool_choice?: CodexToolChoice;
  parallel_tool_calls?: boolean;
  /** `context: "all_turns"` under Responses Lite. */
  reasoning?: { effort?: string; summary?: string; context?: 'all_turns' };
  store: false;
  include: string[];
  service_tier?: string;
  prompt_cache_key?: string;
  text?: { verbosity?: 'low' | 'medium' | 'high'; format?: CodexTextFormat };
};
