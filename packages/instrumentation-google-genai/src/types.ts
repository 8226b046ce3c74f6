/** Minimal structural types of the `@google/genai` SDK (2.x and 3.x): only what Burnrate reads. */

export interface ApiClientLike {
  isVertexAI?(): boolean;
  getBaseUrl?(): string;
}

/** `Models` instance: every model call of the SDK (chats included) goes through its internals. */
export interface ModelsLike {
  apiClient?: ApiClientLike;
}

export type InternalMethod = (this: ModelsLike, params: unknown) => unknown;

export interface ModelsClassLike {
  prototype: {
    generateContentInternal?: InternalMethod;
    generateContentStreamInternal?: InternalMethod;
    embedContentInternal?: InternalMethod;
  };
}

export interface GenAIModuleLike {
  Models?: ModelsClassLike;
}

export interface PartLike {
  text?: string;
  thought?: boolean;
}

export interface ContentLike {
  role?: string;
  parts?: PartLike[];
}

export interface GenerateConfigLike {
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  abortSignal?: AbortSignal;
  systemInstruction?: unknown;
}

export interface GenerateParamsLike {
  model?: string;
  contents?: unknown;
  config?: GenerateConfigLike;
}

/** `usageMetadata` of generateContent (GenerateContentResponseUsageMetadata). */
export interface GenerateUsageLike {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  cachedContentTokenCount?: number;
  thoughtsTokenCount?: number;
  toolUsePromptTokenCount?: number;
  totalTokenCount?: number;
}

export interface GenerateResponseLike {
  modelVersion?: string;
  responseId?: string;
  usageMetadata?: GenerateUsageLike;
  candidates?: { content?: ContentLike; finishReason?: string }[];
}

export interface EmbedResponseLike {
  embeddings?: { values?: number[]; statistics?: { tokenCount?: number } }[];
  usageMetadata?: { promptTokenCount?: number };
  metadata?: { billableCharacterCount?: number };
}
