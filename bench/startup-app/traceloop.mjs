// The Traceloop (OpenLLMetry) peer, set up as lightly as its documentation allows: a tracer provider with a
// batch processor and the OTLP/protobuf exporter, and @traceloop/instrumentation-openai.
// An ES-module app needs the ESM loader hook as well (BENCH_ESM_HOOK=1), or openai stays unpatched.
import { register } from 'node:module';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { OpenAIInstrumentation } from '@traceloop/instrumentation-openai';

if (process.env.BENCH_ESM_HOOK)
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
const cm = new AsyncLocalStorageContextManager();
cm.enable();
context.setGlobalContextManager(cm);
const exporter = new OTLPTraceExporter();
trace.setGlobalTracerProvider(
  new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter })] }),
);
registerInstrumentations({ instrumentations: [new OpenAIInstrumentation()] });
