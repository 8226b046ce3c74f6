// deploy/README.md "Sizing": the measured figures and a worked fleet, computed (so the table can
// be reproduced and the assumptions changed). The figures come from bench/fleet-measure.ts and
// bench/evaluator-scale.ts runs on the 2-core development machine (shared: ±15 % run to run);
// re-run them on your hardware and replace MEASURED.
//
//   node bench/fleet-sizing.ts            (prints the Markdown of deploy/README.md "Sizing")

/** Measured 2026-12-06 (bench/fleet-measure.ts, two runs; evaluator-scale at 1k and 10k budgets). */
const MEASURED = {
  /** Gateway (otelcol.yaml + gateway.yaml) fed by an agent over gRPC, 200,000 bench spans. */
  spansPerGatewayCpuSecond: 63_000, // 63,292 and 64,104
  /** Agent (agent.yaml: OTLP/HTTP protobuf in, disk queue, gRPC out), same load. */
  spansPerAgentCpuSecond: 31_000, // 32,895 and 31,300
  /** A single Collector fed directly (bench/RESULTS.md "Collector"). */
  spansPerCollectorCpuSecond: '67,000–78,000',
  agentRssMbUnderLoad: 116, // 101–116
  gatewayIdleRssMb: 38,
  /** Gateway RSS (= otelcol_process_memory_rss) with 10,000 and 50,000 active series. */
  gatewayRssMbAt10k: 109,
  gatewayRssMbAt50k: 366,
  /** Prometheus remote write 1.0 from the gateway: snappy protobuf bytes per pushed sample. */
  remoteWriteBytesPerSample: 21.6, // 215,618 B for 10,000 series updated once, one request
  /** Budget evaluator cycle (its own duration metric) and memory. */
  evaluator: [
    { budgets: 1_000, series: 10_000, cycle: '0.44–0.75 s', heap: '105 MB', rss: '337 MB' },
    { budgets: 10_000, series: 100_000, cycle: '6.9–9.5 s', heap: '960 MB', rss: '1,276 MB' },
    {
      budgets: 10_000,
      series: 100_000,
      cycle: '7.9–10.4 s',
      note: ' (heap capped at 384 MB)',
      heap: '285 MB',
      rss: '695 MB',
    },
  ],
};

/** The worked fleet: change these. */
const FLEET = {
  services: 500,
  /** Distinct models in the fleet, and those one service uses. */
  modelsInFleet: 20,
  modelsPerService: 4,
  /** Label sets of one service and model seen in a day: environment × team × endpoint × tenant × agent. */
  labelSetsPerServiceModel: 25,
  /** burnrate_* series per label set: cost, requests, input/output/cache_read tokens, tool cost. */
  seriesPerLabelSet: 6,
  /** Priced calls per second per service, on average, and the peak-to-average ratio. */
  callsPerServicePerSecond: 20,
  peakFactor: 5,
  /** Gateways: at least 2 (one may restart); more when CPU asks. Target CPU use per core. */
  minGateways: 2,
  targetCoreUse: 0.5,
  remoteWriteIntervalSeconds: 15,
  scrapeIntervalSeconds: 10,
  budgets: 1_200,
};

const MB_PER_SERIES = (MEASURED.gatewayRssMbAt50k - MEASURED.gatewayRssMbAt10k) / 40_000; // the slope, ~6.4 KB
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function simulate() {
  const f = FLEET;
  const labelSets = f.services * f.modelsPerService * f.labelSetsPerServiceModel;
  const series = labelSets * f.seriesPerLabelSet;
  const spansPerSecond = f.services * f.callsPerServicePerSecond;
  const peak = spansPerSecond * f.peakFactor;
  const gatewayCores = peak / MEASURED.spansPerGatewayCpuSecond / f.targetCoreUse;
  // One more than the cores need, so the rest carry the peak while one restarts.
  const gateways = Math.max(f.minGateways, Math.ceil(gatewayCores) + 1);
  // Round robin: every gateway receives spans of every label set, so each holds (nearly) every
  // series — more gateways add CPU, not memory room. Each gateway's max_streams must hold them.
  const perLabelSetPerGateway =
    f.callsPerServicePerSecond / (f.modelsPerService * f.labelSetsPerServiceModel) / gateways;
  // Every live series is pushed every interval, updated or not (send_all_series in
  // collector/remote-write.yaml, so a store sees idle series as flat rather than missing); a
  // series stays live until 25 h after its last update. Share of series a span updated in an
  // interval (Poisson arrivals), for reference: what pushing only updated series would send.
  const updatedShare = 1 - Math.exp(-perLabelSetPerGateway * f.remoteWriteIntervalSeconds);
  const seriesPerGateway = series;
  const gatewayRssMb = MEASURED.gatewayIdleRssMb + seriesPerGateway * MB_PER_SERIES;
  const storedSeries = series * gateways;
  const rwSamplesPerDay = storedSeries * (86_400 / f.remoteWriteIntervalSeconds);
  const rwGbPerDay = (rwSamplesPerDay * MEASURED.remoteWriteBytesPerSample) / 1e9;
  const rw60GbPerDay = (storedSeries * 1440 * MEASURED.remoteWriteBytesPerSample) / 1e9;
  const scrapeSamplesPerDay = storedSeries * (86_400 / f.scrapeIntervalSeconds);
  const costSeries = labelSets * gateways; // the evaluator reads the cost counters only
  return [
    [
      'label sets (services × models per service × label sets per service and model)',
      `${fmt(f.services)} × ${f.modelsPerService} × ${f.labelSetsPerServiceModel} = ${fmt(labelSets)}`,
    ],
    [`burnrate_* series (× ${f.seriesPerLabelSet} per label set)`, fmt(series)],
    [`priced spans/s, average / peak (× ${f.peakFactor})`, `${fmt(spansPerSecond)} / ${fmt(peak)}`],
    [`gateway cores at peak (at ${f.targetCoreUse * 100} % use)`, fmt(gatewayCores, 2)],
    [
      'gateways',
      `${gateways} (cores + 1, at least ${f.minGateways}: the others carry the peak while one restarts)`,
    ],
    ['agent cores, whole fleet, at peak', fmt(peak / MEASURED.spansPerAgentCpuSecond, 2)],
    [
      'series per gateway (round robin: each sees every label set) → BURNRATE_MAX_SERIES',
      `${fmt(seriesPerGateway)} → set ≥ ${fmt(Math.ceil((seriesPerGateway * 1.5) / 10_000) * 10_000)}`,
    ],
    [
      'gateway memory (RSS) per gateway',
      `${fmt(gatewayRssMb)} MB (limit it at ≥ ${fmt(Math.ceil((gatewayRssMb * 1.5) / 256) * 256)} MiB)`,
    ],
    ['series stored (× gateways)', fmt(storedSeries)],
    [`scrape: samples per day (every ${f.scrapeIntervalSeconds} s)`, fmt(scrapeSamplesPerDay)],
    [
      `remote write: series pushed per ${f.remoteWriteIntervalSeconds} s interval (all live ones; a span updated ${fmt(updatedShare * 100)} % of them)`,
      fmt(storedSeries),
    ],
    ['remote write: samples / GB per day', `${fmt(rwSamplesPerDay)} / ${fmt(rwGbPerDay, 1)} GB`],
    [
      'remote write at a 60 s interval (BURNRATE_REMOTE_WRITE_INTERVAL=60s)',
      `${fmt(rw60GbPerDay, 1)} GB per day`,
    ],
    [
      'budget evaluator: budgets over cost series',
      `${fmt(f.budgets)} over ${fmt(costSeries)}: between the measured rows, near the 100,000-series one (cycle ≲ 10 s; cap the heap at 384 MB)`,
    ],
  ];
}

const table = (head: string[], rows: string[][]) =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

const m = MEASURED;
console.log(
  [
    table(
      ['measured', 'value'],
      [
        [
          'spans per gateway CPU-second (fed by an agent over gRPC)',
          fmt(m.spansPerGatewayCpuSecond),
        ],
        [
          'spans per Collector CPU-second (single Collector, OTLP/HTTP)',
          m.spansPerCollectorCpuSecond,
        ],
        [
          'spans per agent CPU-second (OTLP/HTTP in, disk queue, gRPC out)',
          fmt(m.spansPerAgentCpuSecond),
        ],
        ['agent RSS under that load', `${m.agentRssMbUnderLoad} MB`],
        [
          'gateway RSS: idle / 10,000 / 50,000 active series',
          `${m.gatewayIdleRssMb} / ${m.gatewayRssMbAt10k} / ${m.gatewayRssMbAt50k} MB`,
        ],
        ['gateway memory per 10,000 active series', `${fmt(MB_PER_SERIES * 10_000)} MB`],
        [
          'remote write bytes per pushed sample (snappy protobuf, RW 1.0)',
          `${m.remoteWriteBytesPerSample} B`,
        ],
        [
          'remote write per live series per day, 15 s interval',
          `${fmt(((86_400 / 15) * m.remoteWriteBytesPerSample) / 1e3)} KB`,
        ],
        ...m.evaluator.map((e) => [
          `budget evaluator, ${fmt(e.budgets)} budgets over ${fmt(e.series)} series${'note' in e ? e.note : ''}`,
          `${e.cycle} a cycle; heap ${e.heap}, RSS peak ${e.rss}`,
        ]),
      ],
    ),
    '',
    `Worked fleet. Assumptions (bench/fleet-sizing.ts \`FLEET\`): ${fmt(FLEET.services)} services, each using ${FLEET.modelsPerService} of ${FLEET.modelsInFleet} models with ${FLEET.labelSetsPerServiceModel} label sets (environment × team × endpoint × tenant × agent) per model, ${FLEET.seriesPerLabelSet} series per label set, ${FLEET.callsPerServicePerSecond} priced calls/s per service on average and ${FLEET.peakFactor}× that at peak, gateway cores used at ${FLEET.targetCoreUse * 100} %, remote write every ${FLEET.remoteWriteIntervalSeconds} s, scrape every ${FLEET.scrapeIntervalSeconds} s, ${fmt(FLEET.budgets)} budgets:`,
    '',
    table([`fleet of ${FLEET.services} services`, 'value'], simulate()),
  ].join('\n'),
);
