// A service with its own OpenTelemetry SDK adds Burnrate to it (README: "Already run your own SDK?").

import {
  BurnrateSpanProcessor,
  burnrateInstrumentations,
  burnrateResourceAttributes,
  patchLoadedModules,
  withAttribution,
} from '@burnrate/auto/instrumentations';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import OpenAI from 'openai';
import { makeCalls } from './calls.mjs';

const instrumentations = burnrateInstrumentations();
const sdk = new NodeSDK({
  resource: resourceFromAttributes(burnrateResourceAttributes()), // BURNRATE_TEAM, BURNRATE_ENVIRONMENT
  instrumentations,
  spanProcessors: [
    new BurnrateSpanProcessor(),
    new BatchSpanProcessor({ exporter: new OTLPTraceExporter() }),
  ],
});
sdk.start();
patchLoadedModules(instrumentations);
await makeCalls(OpenAI, withAttribution);
await sdk.shutdown();
