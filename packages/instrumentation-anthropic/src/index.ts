export { MessageStreamReader, type MessageStreamState } from './events.ts';
export {
  AnthropicInstrumentation,
  type AnthropicInstrumentationConfig,
} from './instrumentation.ts';
export { ANTHROPIC_SDK_SPAN, anthropicSdkSpanReader } from './sdk-span-reader.ts';
export type { AnthropicUsage, StreamEvent } from './types.ts';
export { mergeUsage, tokensFromAnthropicUsage } from './usage.ts';
