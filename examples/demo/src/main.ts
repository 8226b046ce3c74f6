// The demo's defaults for Burnrate's variables (a record-only agent breaker), then the one import.
import './demo-env.ts';
import '@burnrate/auto';
import { startModelApi } from './model-api.ts';
import { startService } from './service.ts';
import { generateDemoTraffic } from './traffic.ts';

/**
 * The demo: a stand-in model API (unless MODEL_API_URL points at one), the service on PORT (8080),
 * and with DEMO_TRAFFIC=true a steady stream of requests at TRAFFIC_RPS (2). Configure Burnrate with
 * the usual variables: OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT, BURNRATE_ENVIRONMENT, BURNRATE_TEAM.
 */
const modelApiUrl =
  process.env.MODEL_API_URL ??
  (
    await startModelApi({
      port: Number(process.env.MODEL_API_PORT ?? 0),
      errorRate: Number(process.env.DEMO_ERROR_RATE ?? 0.02),
    })
  ).url;
const service = await startService({ port: Number(process.env.PORT ?? 8080), modelApiUrl });
console.log(JSON.stringify({ service: service.url, modelApi: modelApiUrl }));
if (process.env.DEMO_TRAFFIC === 'true') {
  void generateDemoTraffic({ url: service.url, rps: Number(process.env.TRAFFIC_RPS ?? 2) });
}
